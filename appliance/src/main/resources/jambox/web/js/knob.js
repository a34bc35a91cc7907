import { fromNormalized, formatValue, tidy, toNormalized } from './taper.js';
import { throttle } from './throttle.js';

const SEND_INTERVAL_MS = 33;      // ~30 commands a second: smooth sound, far below the box's 200/s limit
const TRAVEL_PX = 200;            // a full sweep is a comfortable thumb stroke on a phone
const FINE = 0.1;                 // with Shift held, for the last decibel
const DOUBLE_TAP_MS = 350;
const TAP_SLOP_PX = 6;
const ARC = 270;                  // degrees of travel, like a real pot
const RADIUS = 24;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/**
 * A round knob for one descriptor. `send(value)` returns a promise settled by the box's answer.
 * While a finger is on it, pushes are parked and shown after release, so the box never yanks it back
 * mid-drag; after release the knob waits for the answer to its last value before taking pushes again.
 */
export function createKnob({ spec, value, label, testid = 'knob', data = {}, send, format, onSettled }) {
  const show = format ?? ((v) => formatValue(spec, v));
  const el = document.createElement('div');
  el.className = 'knob';
  el.dataset.testid = testid;
  Object.assign(el.dataset, data);
  el.tabIndex = 0;
  el.setAttribute('role', 'slider');
  el.setAttribute('aria-label', label);
  el.setAttribute('aria-valuemin', spec.min);
  el.setAttribute('aria-valuemax', spec.max);
  el.title = `${label}: double-tap for ${show(spec.default)}`;

  const name = document.createElement('span');
  name.className = 'knob-label';
  name.textContent = label;

  const dial = svg('svg', { viewBox: '0 0 60 60', class: 'knob-dial', 'aria-hidden': 'true' });
  const arcLength = CIRCUMFERENCE * ARC / 360;
  const track = svg('circle', { cx: 30, cy: 30, r: RADIUS, class: 'knob-track',
    'stroke-dasharray': `${arcLength} ${CIRCUMFERENCE}`, transform: 'rotate(135 30 30)' });
  const fill = svg('circle', { cx: 30, cy: 30, r: RADIUS, class: 'knob-fill', transform: 'rotate(135 30 30)' });
  const cap = svg('circle', { cx: 30, cy: 30, r: 17, class: 'knob-cap' });
  const pointer = svg('line', { x1: 30, y1: 30, x2: 30, y2: 16, class: 'knob-pointer' });
  dial.append(track, fill, cap, pointer);

  // A control that can cut or boost (EQ, pan, level) lights up from its zero, so flat reads as flat.
  const origin = spec.taper !== 'LOG' && spec.min < 0 && spec.max > 0 ? toNormalized(spec, 0) : 0;

  const readout = document.createElement('output');
  readout.className = 'knob-value';

  el.append(name, dial, readout);

  let current = value;
  let parked = undefined;     // a pushed value waiting for the finger to lift
  let dragging = false;
  let settling = 0;          // releases still waiting for the box's answer
  let drag = null;
  let lastTap = 0;

  function paint(v) {
    current = v;
    const norm = toNormalized(spec, v);
    const from = Math.min(norm, origin);
    fill.setAttribute('stroke-dasharray', `${arcLength * Math.abs(norm - origin)} ${CIRCUMFERENCE}`);
    fill.setAttribute('stroke-dashoffset', String(-arcLength * from));
    pointer.setAttribute('transform', `rotate(${-ARC / 2 + ARC * norm} 30 30)`);
    const text = show(v);
    if (readout.textContent !== text) readout.textContent = text;
    el.dataset.value = String(v);
    el.setAttribute('aria-valuenow', String(v));
    el.setAttribute('aria-valuetext', text);
  }

  const sendThrottled = throttle((v) => send(v), SEND_INTERVAL_MS);

  function userSets(v) {
    const next = tidy(spec, v);
    if (next === current) return;
    paint(next);
    sendThrottled(next);
  }

  // Pushes are the truth again only once the box has answered our last value.
  async function release() {
    settling++;
    try {
      await sendThrottled.flush();
    } catch {
      // the error is shown by whoever sent; the push below restores the truth
    }
    settling--;
    if (dragging || settling) return;
    if (parked !== undefined) {
      const v = parked;
      parked = undefined;
      paint(v);
    }
    onSettled?.();
  }

  el.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    // On a phone the board is mostly knobs; only the dial grabs a finger, the label and value still scroll.
    if (event.pointerType === 'touch' && !dial.contains(event.target)) return;
    event.preventDefault();
    el.focus({ preventScroll: true });
    el.setPointerCapture(event.pointerId);
    dragging = true;
    el.classList.add('active');
    drag = { id: event.pointerId, y: event.clientY, x: event.clientX, start: toNormalized(spec, current), moved: false };
  });

  el.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const dy = drag.y - event.clientY;
    if (!drag.moved && Math.hypot(dy, event.clientX - drag.x) < TAP_SLOP_PX) return;
    drag.moved = true;
    const scale = event.shiftKey ? FINE : 1;
    userSets(fromNormalized(spec, drag.start + (dy / TRAVEL_PX) * scale));
  });

  function endDrag(event) {
    if (!drag || event.pointerId !== drag.id) return;
    const wasTap = !drag.moved;
    drag = null;
    // Another page moved this parameter under the finger: the finger let go last, so it wins.
    if (!wasTap && parked !== undefined && parked !== current) {
      parked = undefined;
      sendThrottled(current);
    }
    dragging = false;
    el.classList.remove('active');
    if (wasTap && event.type === 'pointerup') {
      const now = performance.now();
      if (now - lastTap < DOUBLE_TAP_MS) {
        lastTap = 0;
        userSets(spec.default);
      } else {
        lastTap = now;
      }
    }
    release();
  }
  el.addEventListener('pointerup', endDrag);
  el.addEventListener('pointercancel', endDrag);

  el.addEventListener('keydown', (event) => {
    const norm = toNormalized(spec, current);
    const step = event.shiftKey ? 0.1 : 0.01;
    const moves = {
      ArrowUp: norm + step, ArrowRight: norm + step, PageUp: norm + 0.1,
      ArrowDown: norm - step, ArrowLeft: norm - step, PageDown: norm - 0.1,
      Home: 0, End: 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      userSets(fromNormalized(spec, moves[event.key]));
    } else if (event.key === 'Enter' || event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      userSets(spec.default);
    } else {
      return;
    }
    release();
  });

  paint(value);

  return {
    el,
    get busy() { return dragging || settling > 0; },
    set(v) {
      if (dragging || settling) parked = v;
      else if (v !== current) paint(v);
    },
  };
}
