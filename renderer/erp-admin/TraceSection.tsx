import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, Radio, RadioGroup, Select, Spinner, Text, Title3, tokens } from '@fluentui/react-components';
import { Search24Regular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ErpAdminApi } from './admin-api.js';
import { TraceResult } from './TraceResult.js';
import { checkTraceForm, describeTarget, isTraceCollection, TRACE_COLLECTION_LABELS, TRACE_COLLECTIONS, type TraceForm, type TraceFormErrors, type TraceTarget } from './trace-target.js';
import { traceProblemText, useTrace } from './use-trace.js';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  form: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  field: { minWidth: '220px' },
  wide: { minWidth: '320px', flexGrow: 1 },
});

export interface TraceSectionProps {
  api: Pick<ErpAdminApi, 'trace' | 'traceErp'>;
  /** The configured maps' names, offered as a hint for the ERP record mode. */
  mapNames?: readonly string[];
  /** A trace asked for from elsewhere (Needs attention's "Trace"): filled in and run once. */
  request?: TraceTarget | null;
}

const EMPTY_FORM: TraceForm = { mode: 'document', collection: 'inventoryTransactions', id: '', map: '', erpId: '' };

/**
 * "Did this number reach the ERP, once, and where is it there?": the admin
 * names a document (collection and id) or an ERP record (map and ERP id)
 * and reads the chain the server traces for it.
 */
export function TraceSection({ api, mapNames = [], request = null }: TraceSectionProps) {
  const styles = useStyles();
  const [form, setForm] = useState<TraceForm>(EMPTY_FORM);
  const [errors, setErrors] = useState<TraceFormErrors>({});
  const state = useTrace(api);
  const { trace } = state;
  const change = (patch: Partial<TraceForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setErrors({});
  };

  // A request from another screen fills the form in and traces at once (once per request object).
  const handled = useRef<TraceTarget | null>(null);
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!request || handled.current === request) return;
    handled.current = request;
    // The section is at the foot of the screen: take the eye, and the keyboard, to it.
    const heading = section.current?.querySelector<HTMLElement>('#trace-title');
    heading?.scrollIntoView?.({ block: 'start' });
    heading?.focus();
    setForm((f) => (request.kind === 'document' ? { ...f, mode: 'document', collection: request.collection, id: request.id } : { ...f, mode: 'erp', map: request.map, erpId: request.erpId }));
    trace(request);
  }, [request, trace]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkTraceForm(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    trace(checked.target);
  };

  return (
    <section aria-labelledby="trace-title" className={styles.section} ref={section}>
      <Title3 as="h3" id="trace-title" tabIndex={-1}>
        Trace a document
      </Title3>
      <Text as="p">Follow one document from Fieldstock to the ERP: its posting, the ERP journal lines it was summed into, the outbox items that carried it and its ERP links.</Text>
      <form className={styles.form} onSubmit={submit} aria-labelledby="trace-title" noValidate>
        <Field label="Trace by">
          <RadioGroup layout="horizontal" value={form.mode} onChange={(_, data) => change({ mode: data.value === 'erp' ? 'erp' : 'document' })}>
            <Radio value="document" label="Fieldstock document" />
            <Radio value="erp" label="ERP record" />
          </RadioGroup>
        </Field>
        {form.mode === 'document' ? (
          <>
            <Field label="Collection" className={styles.field}>
              <Select value={form.collection} onChange={(_, data) => isTraceCollection(data.value) && change({ collection: data.value })}>
                {TRACE_COLLECTIONS.map((c) => (
                  <option key={c} value={c}>
                    {TRACE_COLLECTION_LABELS[c]}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Document id" required validationMessage={errors.id} className={styles.wide}>
              <Input value={form.id} onChange={(_, data) => change({ id: data.value })} autoComplete="off" spellCheck={false} />
            </Field>
          </>
        ) : (
          <>
            <Field label="ERP map" required validationMessage={errors.map} hint={mapNames.length > 0 ? `Configured: ${mapNames.join(', ')}` : 'e.g. warehouses, products'} className={styles.field}>
              <Input value={form.map} onChange={(_, data) => change({ map: data.value })} autoComplete="off" spellCheck={false} />
            </Field>
            <Field label="ERP id" required validationMessage={errors.erpId} hint="The record's id in the ERP, e.g. 5" className={styles.field}>
              <Input value={form.erpId} onChange={(_, data) => change({ erpId: data.value })} autoComplete="off" spellCheck={false} />
            </Field>
          </>
        )}
        <Button type="submit" appearance="primary" icon={<Search24Regular />} disabled={state.loading}>
          Trace
        </Button>
      </form>
      {state.loading && state.target && <Spinner size="small" label={`Tracing ${describeTarget(state.target)}…`} />}
      {!state.loading && !state.result && <Text as="p">Nothing traced yet: choose a collection, enter a document id and press Trace (or Enter).</Text>}
      {!state.loading && state.result && !state.result.ok && (
        <MessageBar intent={state.result.problem.status === 404 ? 'warning' : 'error'} role="alert">
          <MessageBarBody>{traceProblemText(state.result.problem)}</MessageBarBody>
        </MessageBar>
      )}
      {!state.loading && state.result?.ok && <TraceResult trace={state.result.value} />}
    </section>
  );
}
