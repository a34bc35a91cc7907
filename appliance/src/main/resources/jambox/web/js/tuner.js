import { h, setText, toggle } from './dom.js';

const IN_TUNE_CENTS = 5;
const NEEDLE_DEGREES_PER_CENT = 0.9;   // ±50 cents fills ±45 degrees

/** Tuner switch, mute-while-tuning, and the big note with a cents needle. */
export function createTuner(root, send, testPrefix = '') {
  let on = false;
  let mute = false;
  const power = h('button', { type: 'button', class: 'toggle', testid: `${testPrefix}tuner-toggle`, text: 'Tuner',
    onclick: () => send({ cmd: 'tuner', on: !on, mute }) });
  const silence = h('button', { type: 'button', class: 'toggle', testid: `${testPrefix}tuner-mute`, text: 'Mute while tuning',
    onclick: () => send({ cmd: 'tuner', on, mute: !mute }) });
  const note = h('div', { class: 'note', testid: `${testPrefix}tuner-note`, text: '–' });
  const needle = h('div', { class: 'needle' });
  const cents = h('div', { class: 'cents', testid: `${testPrefix}tuner-cents`, text: '' });
  const dial = h('div', { class: 'tuner-dial', 'aria-hidden': 'true' },
    h('div', { class: 'scale' }), needle);
  root.replaceChildren(h('div', { class: 'row' }, power, silence),
    h('div', { class: 'tuner-face', role: 'status', 'aria-live': 'off' }, note, dial, cents));

  function show(reading) {
    const heard = on && reading?.hz != null;
    setText(note, heard ? reading.note : '–');
    setText(cents, heard ? `${reading.cents > 0 ? '+' : ''}${Math.round(reading.cents)} cents · ${reading.hz.toFixed(1)} Hz` : (on ? 'play a string' : 'off'));
    const c = heard ? Math.max(-50, Math.min(50, reading.cents)) : 0;
    needle.style.transform = `rotate(${c * NEEDLE_DEGREES_PER_CENT}deg)`;
    root.classList.toggle('in-tune', heard && Math.abs(reading.cents) < IN_TUNE_CENTS);
    root.classList.toggle('listening', heard);
  }

  return {
    renderState(state) {
      const was = on;
      on = !!state.tuner?.on;
      mute = !!state.tuner?.mute;
      toggle(power, on);
      toggle(silence, mute);
      if (!on || !was) show(null);
    },
    renderReading: show,
  };
}
