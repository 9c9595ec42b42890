import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import type { ApiProblem } from './admin-api.js';
import { problemText } from './use-erp-overview.js';

/** A section's read failed: say why in place of its table; the rest of the screen stays. */
export function SectionProblem({ what, problem }: { what: string; problem: ApiProblem }) {
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        Could not load {what}: {problemText(problem)}
      </MessageBarBody>
    </MessageBar>
  );
}
