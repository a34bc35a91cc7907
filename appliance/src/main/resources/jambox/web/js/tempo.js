import { fillIfIdle, h, toggle } from './dom.js';

/** The metronome's tempo (typed or tapped) and the recorder switch. */
export function createTempo(root, send) {
  const bpm = h('input', { type: 'number', min: '20', max: '400', step: '1', inputmode: 'numeric',
    testid: 'bpm', 'aria-label': 'Tempo in BPM' });
  const setTempo = () => {
    const value = Number(bpm.value);
    if (value >= 20 && value <= 400) send({ cmd: 'tempo', bpm: value });
  };
  bpm.addEventListener('change', setTempo);
  bpm.addEventListener('keydown', (event) => { if (event.key === 'Enter') bpm.blur(); });

  // pointerdown, not click: a tap tempo must land on the beat, not on the finger's release.
  const tap = h('button', { type: 'button', class: 'tap', testid: 'tap', text: 'TAP' });
  tap.addEventListener('pointerdown', (event) => {
    if (event.button === 0) send({ cmd: 'tap' });
  });
  tap.addEventListener('keydown', (event) => {
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (!event.repeat) send({ cmd: 'tap' });
    }
  });

  let recording = false;
  const record = h('button', { type: 'button', class: 'toggle record', testid: 'record', text: 'Record',
    onclick: () => send({ cmd: 'record', on: !recording }) });

  root.replaceChildren(
    h('div', { class: 'row tempo' }, h('label', { class: 'field inline' }, h('span', { text: 'BPM' }), bpm), tap),
    h('div', { class: 'row' }, record));

  return {
    renderState(state) {
      const value = state.tempo?.bpm;
      fillIfIdle(bpm, value == null ? '' : Math.round(value * 10) / 10);
      recording = !!state.recording;
      toggle(record, recording);
      record.textContent = recording ? '● Recording' : 'Record';
    },
  };
}
