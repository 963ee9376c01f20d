/**
 * Headers of every `/api/*` answer: JSON is data, never a document — `default-src 'none'` (nothing it
 * could load or run), nosniff, not framed, and not stored by any cache (answers carry actors and
 * unpublished state). Routes that are documents or public set their own: the HTML dispute report
 * (`REPORT_CSP`), the public answers (`Cache-Control: public`).
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** The HTML dispute report: its own inline <style>, nothing else; framed only by the web app. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** The API's documentation page /api/docs (swagger-ui-dist served from here): its own scripts and styles only. */
export const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function apiHeaders() {
  return (req: { path: string }, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) {
      res.setHeader('Content-Security-Policy', req.path === '/api/docs' || req.path.startsWith('/api/docs/') ? DOCS_CSP : API_CSP);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
    }
    next();
  };
}
