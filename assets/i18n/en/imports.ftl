# Command-line texts for imports, list screening and the analytics export (English)
progress-rows = { $rows } rows read …
import-summary = Imported { $rows } rows: { $added } contacts added, { $matched } already in the register, { $changed } changed; { $events } events added, { $unchanged } already present; { $rejected } rows rejected
import-report = Rejected rows with reasons: { $report }
screen-summary = Screened { $rows } rows: { $allowed } allowed, { $denied } denied
screen-matches = Matched by email: { $email }, by phone: { $phone }, not in the register: { $none }
screen-by-reason = By reason:
screen-written = Result: { $out }
analytics-summary = Exported { $rows } pseudonymised rows to { $out }; { $left } people with an objection left out
