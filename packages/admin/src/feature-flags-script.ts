/**
 * The feature-flags page's script, served as `/assets/feature-flags.js` (the CSP allows no inline
 * script). Self-contained: it is sent as this function's source text. It shows each rollout
 * slider's value as it moves, and makes Page Up / Page Down jump between the plan's stops
 * (0 → 10 → 50 → 100 %); arrows still move by 1 %, so any integer can be chosen. After a change
 * it puts the keyboard focus back on the flag's panel. Without it the page works the same, with
 * the browser's own slider keys.
 */
export function featureFlagsScript(): void {
  const stops = [0, 10, 50, 100];
  // Back on the page after a change (`#flag-<name>`): keyboard focus returns to that flag's panel.
  const target = location.hash.length > 1 ? document.getElementById(location.hash.slice(1)) : null;
  if (target !== null && target.tabIndex === -1) target.focus();
  for (const slider of Array.from(document.querySelectorAll<HTMLInputElement>('input[type="range"][data-rollout]'))) {
    const output = document.getElementById(slider.dataset.output ?? '');
    const show = () => {
      const text = `${slider.value} %`;
      if (output !== null) output.textContent = text;
      slider.setAttribute('aria-valuetext', text);
    };
    slider.addEventListener('input', show);
    slider.addEventListener('keydown', (event) => {
      if (event.key !== 'PageUp' && event.key !== 'PageDown') return;
      const value = Number(slider.value);
      const next = event.key === 'PageUp' ? stops.find((stop) => stop > value) : [...stops].reverse().find((stop) => stop < value);
      if (next === undefined) return;
      event.preventDefault();
      slider.value = String(next);
      show();
    });
  }
}

/** The text of `/assets/feature-flags.js`. */
export const FEATURE_FLAGS_SCRIPT_SOURCE = `(${featureFlagsScript.toString()})();\n`;
