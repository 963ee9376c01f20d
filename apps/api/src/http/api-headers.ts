/**
 * Headers of every `/api/*` answer: JSON is data, never a document — `default-src 'none'` (nothing it
 * could load or run), nosniff, not framed, and not stored by any cache (answers carry actors and
 * unpublished state). Routes that are documents or public set their own: the HTML dispute report
 * (`REPORT_CSP`), the public answers (`Cache-Control: public`).
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** The HTML dispute report: its own inline <style>, nothing else; framed only by the web app. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

export function apiHeaders() {
  return (req: { path: string }, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) {
      res.setHeader('Content-Security-Policy', API_CSP);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
    }
    next();
  };
}
