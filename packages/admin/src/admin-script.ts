/**
 * The page's own script, served as a static file (`/assets/admin.js`; the CSP allows no inline
 * script). Self-contained on purpose: it is sent as this function's source text, so it may use
 * nothing from its module. It drives the events backfill as time-boxed slices, one request at a
 * time, until the run completes or Pause is pressed; closing the tab simply stops sending slices,
 * and the next Apply resumes from the checkpoint the last slice committed.
 */
export function adminScript(): void {
  const panel = document.querySelector<HTMLElement>('[data-events-panel]');
  const startForm = document.querySelector<HTMLFormElement>('[data-events-start]');
  if (panel === null || startForm === null) return;
  const pause = panel.querySelector<HTMLButtonElement>('[data-events-pause]')!;
  const startButton = startForm.querySelector<HTMLButtonElement>('button')!;
  const bar = panel.querySelector<HTMLProgressElement>('[data-events-bar]')!;
  const text = panel.querySelector<HTMLElement>('[data-events-text]')!;
  const failures = panel.querySelector<HTMLTableElement>('table[data-events-failures]');
  // There is an apply report once a slice has run; the page was rendered before.
  const report = panel.querySelector<HTMLElement>('[data-events-report]');
  const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
  const sliceUrl = panel.dataset.sliceUrl!;
  const number = (value: number) => value.toLocaleString('en-US');
  let running = false;

  interface Answer {
    state: string;
    processed: number;
    total: number;
    written: number;
    failed: number;
    failures: { id: string | null; code: string; reason: string }[];
    message?: string;
  }

  const duration = (seconds: number) => (seconds < 60 ? `${Math.ceil(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`);

  function show(answer: Answer, rate: number | null): void {
    bar.max = Math.max(answer.total, 1);
    bar.value = answer.processed;
    bar.textContent = `${number(answer.processed)} of ${number(answer.total)}`;
    let line = `${answer.state}: ${number(answer.processed)} of ${number(answer.total)} processed, ${number(answer.written)} written, ${number(answer.failed)} failed.`;
    if (rate !== null && rate > 0) {
      line += ` ${number(Math.round(rate))} events/s`;
      if (answer.state === 'running') line += `, about ${duration((answer.total - answer.processed) / rate)} left.`;
    }
    if (answer.message !== undefined) line += ` ${answer.message}`;
    text.textContent = line;
    if (report !== null && /^(running|completed|aborted)$/.test(answer.state)) report.hidden = false;
    if (failures !== null) {
      const body = failures.tBodies[0]!;
      body.replaceChildren(
        ...answer.failures.map((failure) => {
          const row = document.createElement('tr');
          for (const value of [failure.id ?? '(no id)', failure.code, failure.reason]) row.insertCell().textContent = value;
          return row;
        }),
      );
      failures.hidden = answer.failures.length === 0;
    }
  }

  /** Shows Pause while running; otherwise the start button, which resumes unless the run is over. */
  function setRunning(value: boolean, completed = false): void {
    running = value;
    pause.hidden = !value;
    startButton.hidden = value;
    if (!value) startButton.textContent = completed ? 'Apply events' : 'Resume apply';
    (value ? pause : startButton).focus();
  }

  async function drive(): Promise<void> {
    setRunning(true);
    let first = true;
    const started = performance.now();
    let startedAt: number | null = null;
    let completed = false;
    while (running) {
      const body = new URLSearchParams(first ? { start: '1' } : {});
      first = false;
      let answer: Answer & { error?: string };
      let status = 0;
      try {
        const response = await fetch(sliceUrl, {
          method: 'POST',
          headers: { accept: 'application/json', 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' },
          body,
          credentials: 'same-origin',
        });
        status = response.status;
        answer = (await response.json()) as Answer & { error?: string };
      } catch {
        text.textContent = 'The server did not answer; paused. Press Resume to try again.';
        break;
      }
      if (typeof answer.state !== 'string') {
        // Refused (the session ended with its token, or the role was taken away): nothing ran.
        text.textContent = `Paused: ${answer.error ?? `the server answered ${status}.`} Reload the page (signing in again if asked), then Resume.`;
        break;
      }
      startedAt ??= answer.processed;
      const seconds = (performance.now() - started) / 1000;
      show(answer, seconds > 0 ? (answer.processed - startedAt) / seconds : null);
      if (answer.state === 'locked') {
        // Another tab or the CLI holds the lease: wait for its slice to end, then try again.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      completed = answer.state === 'completed';
      if (answer.state !== 'running') break;
    }
    setRunning(false, completed);
  }

  startForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!running) void drive();
  });
  pause.addEventListener('click', () => {
    running = false;
    text.textContent = `${text.textContent ?? ''} Pausing after this slice…`;
  });
}
