import {
  Button,
  Card,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Title2,
  tokens,
} from '@fluentui/react-components';
import { useId, useState, type FormEvent } from 'react';
import { useServices } from '../app/services.js';
import { useUi } from '../app/ui-store.js';
import { problemMessage, problemTitle } from '../session/problems.js';

const useStyles = makeStyles({
  page: { minHeight: '100vh', display: 'grid', placeItems: 'center', backgroundColor: tokens.colorNeutralBackground2, padding: tokens.spacingHorizontalL },
  card: { width: 'min(420px, 100%)', padding: tokens.spacingHorizontalXL },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export function SignInScreen() {
  const styles = useStyles();
  const { controller, defaultServerUrl } = useServices();
  const session = useUi((s) => s.session);
  const previous = session.status === 'signed-out' ? session : null;
  const [serverUrl, setServerUrl] = useState(previous?.serverUrl ?? defaultServerUrl);
  const [username, setUsername] = useState(previous?.username ?? '');
  // The password stays in this form's state only, never in a store.
  const [password, setPassword] = useState('');
  const busy = session.status === 'signing-in';
  const titleId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const problem = await controller.signIn(serverUrl, username.trim(), password);
    if (problem?.kind === 'invalid-credentials') setPassword('');
  };

  const problem = previous?.problem ?? null;
  return (
    <main className={styles.page}>
      <Card className={styles.card} aria-labelledby={titleId}>
        <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby={titleId} noValidate>
          <Title2 as="h1" id={titleId}>
            Sign in to Fieldstock
          </Title2>
          {problem && (
            <MessageBar intent={problem.kind === 'session-expired' ? 'warning' : 'error'} role="alert">
              <MessageBarBody>
                <MessageBarTitle>{problemTitle(problem)}</MessageBarTitle>
                {problemMessage(problem)}
              </MessageBarBody>
            </MessageBar>
          )}
          <Field label="Server address" required hint="For example https://fieldstock.example.com">
            <Input type="url" value={serverUrl} onChange={(_, data) => setServerUrl(data.value)} autoComplete="url" inputMode="url" disabled={busy} />
          </Field>
          <Field label="User name" required>
            <Input value={username} onChange={(_, data) => setUsername(data.value)} autoComplete="username" disabled={busy} autoFocus={!username} />
          </Field>
          <Field label="Password" required>
            <Input type="password" value={password} onChange={(_, data) => setPassword(data.value)} autoComplete="current-password" disabled={busy} autoFocus={Boolean(username)} />
          </Field>
          <Button type="submit" appearance="primary" disabled={busy || !serverUrl.trim() || !username.trim() || !password} icon={busy ? <Spinner size="tiny" /> : undefined}>
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
          <Text size={200}>Your data is kept on this device, so you can keep working without a network.</Text>
        </form>
      </Card>
    </main>
  );
}
