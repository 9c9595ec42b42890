/**
 * The print stylesheet of a receipt: only the receipt goes on paper (or into
 * the PDF), not the app's header, navigation, status bar or buttons. It is
 * rendered with the receipt view, so it applies only while one is open.
 *
 * The shell is a full-height grid whose main area scrolls; printed as it is,
 * a long receipt would be cut at the window's height. The :has() selector
 * finds that grid without the shell having to name itself for printing.
 * The rules sit inside @media print (not only the element's media
 * attribute), which every engine honours.
 */
export const RECEIPT_PRINT_CSS = `
@media print {
  @page { size: A4; margin: 15mm; }
  header, nav, footer, [data-print="hide"] { display: none !important; }
  *:has(> main) { display: block !important; height: auto !important; min-height: 0 !important; }
  main { overflow: visible !important; padding: 0 !important; }
  body { background: #fff !important; }
}
`;
