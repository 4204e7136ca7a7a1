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
.plan{border:1px solid #d0d5dd;border-radius:.5rem;margin:.6rem 0;padding:.4rem .75rem;background:#fcfcfd}.plan h3{margin:.2rem 0;font-size:1rem}
.plan-stages{display:flex;gap:.4rem;flex-wrap:wrap;padding:0;list-style:none;margin:.4rem 0}
.plan-stages li{border:1px solid #d0d5dd;border-radius:.4rem;padding:.15rem .5rem}
.plan-stages li.passed{background:#f2f4f7}.plan-stages li.current{border:2px solid #175cd3;background:#eff8ff}
.badge-plan,.plan-running{background:#dbeafe;color:#1e3a8a}.plan-paused{background:#fef3c7;color:#78350f}
.plan-rolled-back{background:#fee4e2;color:#7a271a}.plan-done{background:#dcfce7;color:#14532d}
.plan-forms{margin:.3rem 0 .2rem}.plan>p{margin:.35rem 0}
.telemetry{margin:.6rem 0}.telemetry h3{margin:.2rem 0;font-size:1rem}.telemetry>p{margin:.35rem 0}
.metrics{width:auto}.metrics caption{text-align:left;font-weight:600}
`;
