import { Field, Input } from '@fluentui/react-components';
import type { MoveDraft, MoveErrors } from '../move-draft.js';

/** Parts used are recorded against a work order (kept after saving: several parts often go on one job). */
export function ConsumeFields({ draft, errors, change }: { draft: MoveDraft; errors: MoveErrors; change(patch: Partial<MoveDraft>): void }) {
  return (
    <Field label="Work order" required validationMessage={errors.workOrder} hint="The job the parts were used on">
      <Input value={draft.workOrder} maxLength={200} onChange={(_, data) => change({ workOrder: data.value })} />
    </Field>
  );
}
