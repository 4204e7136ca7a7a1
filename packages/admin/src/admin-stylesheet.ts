/** `/assets/admin.css`: a file, not inline styles, so the CSP allows no inline style either. */
export const ADMIN_STYLESHEET = `:root{color-scheme:light;font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;background:#f6f7f9}
body{margin:0}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
.top{display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap;padding:.75rem 1.5rem;background:#1f2937;color:#fff}
.top a{color:#fff}.top nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}
.top a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
.brand{font-weight:700}.account{margin-left:auto;display:flex;gap:.75rem;align-items:center}.role{opacity:.85}
main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}main:focus{outline:none}
.panel{background:#fff;border:1px solid #d0d5dd;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
h2{margin-top:0}
.actions{display:flex;gap:.75rem;align-items:center;flex-wrap:wrap;margin:.5rem 0}
form.inline{display:inline}
button{font:inherit;padding:.4rem .9rem;border-radius:6px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f2937;border-color:#9ca3af}
button.danger{background:#b42318;border-color:#b42318}
button:focus-visible,a:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
a{color:#1d4ed8}
.checklist{padding-left:1.5rem}.step{margin:.35rem 0}
.step-state{display:inline-block;min-width:4rem;font-size:.8rem;font-weight:700;text-transform:uppercase;border-radius:4px;padding:0 .35rem;text-align:center}
.step-done .step-state{background:#dcfce7;color:#14532d}.step-current .step-state{background:#fef3c7;color:#78350f}.step-todo .step-state{background:#e5e7eb;color:#1f2937}
.muted{color:#4b5563}
.cards{display:flex;gap:.75rem;flex-wrap:wrap;list-style:none;padding:0}
.card{border:1px solid #d0d5dd;border-radius:8px;padding:.5rem 1rem;min-width:8rem}
.card-value{display:block;font-size:1.5rem;font-weight:700}
table{border-collapse:collapse;width:100%;margin:.75rem 0}caption{text-align:left;font-weight:700;padding:.25rem 0}
th,td{border-bottom:1px solid #e5e7eb;padding:.35rem .5rem;text-align:left;vertical-align:top}
progress{width:100%;height:1.25rem}
.error{color:#b42318}.notice{color:#14532d}
.login{display:grid;gap:.5rem;max-width:24rem}
input[type=password]{font:inherit;padding:.4rem}
`;
