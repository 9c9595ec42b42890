import { Badge, Text } from '@fluentui/react-components';

/**
 * Next to "Posted": the ERP refused this document (erpError, set by the
 * backend). The stock did move in Fieldstock; only the ERP lacks it until
 * the data there is fixed and an admin retries.
 */
export function ErpRefusalNote({ error }: { error: { code: string; message: string } }) {
  return (
    <>
      {' '}
      <Badge color="important" appearance="outline" title="Posted in Fieldstock; the ERP refused it. The fix is in the ERP or an admin's retry.">
        Refused by the ERP
      </Badge>{' '}
      <Text size={200}>{error.message}</Text>
    </>
  );
}
