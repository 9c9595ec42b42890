import { Dropdown, Field, Input, makeStyles, Option, Radio, RadioGroup, tokens } from '@fluentui/react-components';
import type { DeepReadonly } from 'rxdb';
import type { ReferenceData } from '../../../shared/collections.js';
import type { MoveDraft, MoveErrors } from '../move-draft.js';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', alignItems: 'flex-start' },
});

interface Props {
  draft: MoveDraft;
  errors: MoveErrors;
  reasons: readonly DeepReadonly<ReferenceData>[];
  change(patch: Partial<MoveDraft>): void;
}

/** Direction, reason code and an optional external reference: what only an adjustment has. */
export function AdjustFields({ draft, errors, reasons, change }: Props) {
  const styles = useStyles();
  const selectedReason = reasons.find((r) => r.code === draft.reasonCode);
  return (
    <>
      <Field label="Change">
        <RadioGroup layout="horizontal" value={draft.direction} onChange={(_, data) => change({ direction: data.value === 'add' ? 'add' : 'remove' })}>
          <Radio value="remove" label="Remove from stock" />
          <Radio value="add" label="Add to stock" />
        </RadioGroup>
      </Field>
      <Field label="Reason" required={reasons.length > 0} validationMessage={errors.reasonCode}>
        <Dropdown
          value={selectedReason ? selectedReason.name : ''}
          selectedOptions={draft.reasonCode ? [draft.reasonCode] : []}
          onOptionSelect={(_, data) => change({ reasonCode: data.optionValue ?? '' })}
          placeholder="Choose a reason"
        >
          {reasons.map((r) => (
            <Option key={r.id} value={r.code} text={r.name}>
              {r.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <div className={styles.row} role="group" aria-label="External reference (optional)">
        <Field label="Reference kind" hint="For example ticket or claim" validationMessage={errors.reference}>
          <Input value={draft.referenceCategory} maxLength={64} onChange={(_, data) => change({ referenceCategory: data.value })} />
        </Field>
        <Field label="Reference number">
          <Input value={draft.referenceId} maxLength={200} onChange={(_, data) => change({ referenceId: data.value })} />
        </Field>
      </div>
    </>
  );
}
