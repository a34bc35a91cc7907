import { h, setText, toggle } from './dom.js';

const SAY = {
  empty: 'Empty', armed: 'Waiting for the bar line', recording: 'Recording', playing: 'Playing',
  overdubbing: 'Overdubbing', stopped: 'Stopped',
};

/**
 * The box's looper: one set of buttons for both inputs' loopers (the box tells every looper each
 * action in the same period). Shown only while the board has a looper; its state comes with the
 * state and with every meters push, since the looper changes on its own (a take starting on the
 * bar line, ending at whole bars).
 */
export function createLooper(panel, root, send) {
  const act = (action) => send({ cmd: 'looper', action });
  const button = (testid, text, action, label) => h('button', { type: 'button', class: 'toggle', testid, text,
    'aria-label': label, onclick: () => act(action) });
  const record = button('looper-record', 'Rec · Play · Dub', 'record',
    'Record; pressed again, play; then overdub, then play');
  const stop = button('looper-stop', 'Stop', 'stop', 'Stop the loop (play starts it from the top)');
  const play = button('looper-play', 'Play', 'play', 'Play the loop');
  const undo = button('looper-undo', 'Undo', 'undo', 'Take the last overdub off');
  const clear = button('looper-clear', 'Clear', 'clear', 'Throw the loop away');
  const status = h('p', { class: 'hint', testid: 'looper-status', 'aria-live': 'polite' });
  root.replaceChildren(h('div', { class: 'row' }, record, play, stop), h('div', { class: 'row' }, undo, clear), status);

  let shown = '';
  const show = (l) => {
    panel.classList.toggle('absent', l == null);
    if (l == null) return;
    const text = `${SAY[l.state] ?? l.state}${l.lengthSeconds > 0 ? ` · ${l.lengthSeconds.toFixed(2)} s` : ''}`
      + `${l.send === 'local' ? ' · only you hear it' : ''}`;
    if (text !== shown) {
      shown = text;
      setText(status, text);
    }
    panel.dataset.looper = l.state;
    toggle(record, l.state === 'armed' || l.state === 'recording' || l.state === 'overdubbing');
    undo.disabled = !l.canUndo;
  };
  return {
    renderState(state) { show(state.looper); },
    renderMeters(meters) { if ('looper' in meters) show(meters.looper); },
  };
}
