/** `GET /api/v1/admin/erp-journals`: ERP journals newest first, a page at a time (docs/api.md "Journals and ERP status"). */
import type { ErpJournal } from '../schemas/journals.js';

export interface ErpJournalPage {
  journals: ErpJournal[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}
