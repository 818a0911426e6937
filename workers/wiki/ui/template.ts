/** The web UI's HTML templates: the shared escaping `html` tag (workers/lib/html.ts). */
export { html, nothing, trusted, type Html } from '../../lib/html.ts';
