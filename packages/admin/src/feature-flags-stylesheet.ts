/** `/assets/feature-flags.css`: the page's own styles (a file: the CSP allows no inline style). */
export const FEATURE_FLAGS_STYLESHEET = `.flags{list-style:none;padding:0}
.flag-head{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap}.flag-head h2{margin:0;font-family:ui-monospace,monospace;font-size:1.15rem}
.badge,.tag{display:inline-block;border-radius:999px;padding:0 .6rem;font-size:.85rem;font-weight:700}
.badge-off{background:#e5e7eb;color:#1f2937}.badge-disabled{background:#fee4e2;color:#7a271a}
.badge-rolling-out{background:#fef3c7;color:#78350f}.badge-on{background:#dcfce7;color:#14532d}
.tag{background:#e0e7ff;color:#1e3a8a}.tag-cleanup{background:#f3e8ff;color:#581c87}
.guidance{margin:.4rem 0}.flag-forms{display:flex;gap:1.25rem;flex-wrap:wrap;align-items:flex-end}
.flag-forms form{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.rollout input[type=range]{width:14rem}.rollout output{min-width:3.5rem;font-weight:700}
.stops{display:flex;gap:.25rem}.stops button{padding:.2rem .5rem}
.describe textarea{font:inherit;min-width:18rem;min-height:2.5rem}
.create{display:grid;gap:.4rem;max-width:30rem}.create input,.create textarea{font:inherit;padding:.35rem}
.warning{border-left:4px solid #b54708;background:#fffaeb;padding:.5rem .75rem}
td form{margin:0}
`;
