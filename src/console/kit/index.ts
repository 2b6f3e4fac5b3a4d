/** @module The console kit in one import (contract, console-contract): layout, forms, notices, operations, page parts. */
export { consoleLayout, sendConsolePage, type ConsolePage, type NavItem } from './layout.ts';
export { CONSOLE_CSP, sendConsoleRedirect } from './policy.ts';
export { actionForm, errorAlert, searchForm, textField, type ActionForm, type TextField } from './forms.ts';
export { noticeOf, redirectWithNotice } from './notice.ts';
export { isReadOperation, refusal, runAdminOperation } from './run-admin-operation.ts';
export { dateTime, definitionList, link, pager, seg, statusBadge, table, yesNo, type Pager, type Table } from './parts.ts';
export { sendConsoleError, sendNotFoundPage } from './error-page.ts';
export { readForPage } from './page-read.ts';
