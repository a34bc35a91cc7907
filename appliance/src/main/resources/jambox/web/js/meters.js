// Meter frames come at ~20 Hz and may be dropped; drawing on animation frames with a falling bar and a
// held peak keeps the motion smooth and a clip visible long enough to be seen from the floor.
const FLOOR_DB = -60;
// Below this a level is silence: the box sends null under -99 dBFS, and a falling peak stops here.
const SILENT_DB = -100;
const FALL_DB_PER_S = 24;
const PEAK_HOLD_MS = 1500;
const PEAK_FALL_DB_PER_S = 12;
// The figure changes at most four times a second: faster, and it cannot be read.
const FIGURE_MS = 250;
// A peak this close to full scale latches the clip light even without the box's clip flag.
const CLIP_DB = -0.1;

// Every meter on the page; one key (pre-0, out-1, ...) may be shown by several (mixer and stage view).
const meters = new Set();
// Keys whose clip light is lit: shared by every meter of that key, kept when a view rebuilds its meters.
const latched = new Set();
let lastFrame = 0;

function percent(db) {
  return Math.max(0, Math.min(1, (db - FLOOR_DB) / -FLOOR_DB)) * 100;
}

function figure(db) {
  if (db === -Infinity) return '-inf';
  const r = Math.round(db * 10) / 10 || 0; // no "-0.0"
  return `${r > 0 ? '+' : ''}${r.toFixed(1)}`;
}

function showLatch(m) {
  const lit = latched.has(m.key);
  if (m.lit === lit) return;
  m.lit = lit;
  m.el.classList.toggle('clipped', lit);
  m.el.dataset.clip = String(lit);
  m.clip.disabled = !lit;
  m.clip.setAttribute('aria-label', lit ? `${m.label} clipped: tap to clear` : `${m.label}: no clip`);
}

function setLatch(key, lit) {
  if (lit === latched.has(key)) return;
  if (lit) latched.add(key); else latched.delete(key);
  for (const m of meters) if (m.key === key) showLatch(m);
}

/**
 * A horizontal meter with its held peak as a figure (dBFS, one decimal, "-inf" for silence) and a clip
 * light that stays lit until the meter is tapped. `key` is how the `meters` push names it: pre-0 (an
 * input before the pedals), in-0 (after them), self-0 (the monitor), out-1, member-2.
 */
export function createMeter(key, label) {
  const bar = document.createElement('div');
  bar.className = 'meter-bar';
  const peak = document.createElement('div');
  peak.className = 'meter-peak';
  const track = document.createElement('div');
  track.className = 'meter-track';
  track.setAttribute('role', 'meter');
  track.setAttribute('aria-label', label);
  track.setAttribute('aria-valuemin', String(FLOOR_DB));
  track.setAttribute('aria-valuemax', '0');
  track.append(bar, peak);
  const db = document.createElement('span');
  db.className = 'meter-db';
  db.dataset.testid = 'meter-db';
  db.textContent = '-inf';
  const clip = document.createElement('button');
  clip.type = 'button';
  clip.className = 'meter-clip';
  clip.dataset.testid = 'meter-clip';
  clip.textContent = 'CLIP';
  const el = document.createElement('div');
  el.className = 'meter';
  el.dataset.testid = `meter-${key}`;
  el.dataset.key = key;
  el.dataset.db = '-inf';
  el.append(track, db, clip);
  // The whole meter is the target for a thumb; the button is there for keyboards and screen readers.
  el.addEventListener('click', () => setLatch(key, false));
  const m = { key, label, el, bar, peak, track, db, clip, target: -Infinity, level: -Infinity, held: -Infinity,
    heldAt: 0, drawn: null, figureAt: -Infinity, figure: null, lit: null };
  meters.add(m);
  showLatch(m);
  return el;
}

export function updateMeters(message) {
  const levels = new Map();
  const put = (prefix, list) => (list ?? []).forEach((v, i) => levels.set(`${prefix}-${i}`, v));
  put('pre', message.pre);
  put('in', message.in);
  put('self', message.self);
  put('out', message.out);
  for (const [id, v] of Object.entries(message.members ?? {})) levels.set(`member-${id}`, v);
  for (const [key, clipped] of Object.entries(message.clip ?? {})) if (clipped) setLatch(key, true);
  for (const [key, v] of levels) if (v != null && v >= CLIP_DB) setLatch(key, true);
  for (const m of meters) {
    if (!levels.has(m.key)) continue;
    const v = levels.get(m.key);
    m.target = v == null ? -Infinity : v;
    m.el.dataset.db = v == null ? '-inf' : v.toFixed(1);
  }
}

export function silenceMeters() {
  for (const m of meters) {
    m.target = -Infinity;
    m.el.dataset.db = '-inf';
  }
}

function fall(value, target, dbPerS, dt) {
  const v = Math.max(target, value - dbPerS * dt);
  return v < SILENT_DB ? -Infinity : v;
}

function frame(now) {
  const dt = Math.min(0.1, (now - lastFrame) / 1000);
  lastFrame = now;
  for (const m of meters) {
    if (!m.el.isConnected) {
      meters.delete(m);
      continue;
    }
    m.level = m.target >= m.level ? m.target : fall(m.level, m.target, FALL_DB_PER_S, dt);
    if (m.target >= m.held) {
      m.held = m.target;
      m.heldAt = now;
    } else if (now - m.heldAt > PEAK_HOLD_MS) {
      m.held = fall(m.held, Math.max(m.level, m.target), PEAK_FALL_DB_PER_S, dt);
    }
    if (now - m.figureAt >= FIGURE_MS) {
      m.figureAt = now;
      const text = figure(m.held);
      if (text !== m.figure) {
        m.figure = text;
        m.db.textContent = text;
      }
    }
    const drawn = `${percent(m.level).toFixed(1)}|${percent(m.held).toFixed(1)}`;
    if (drawn === m.drawn) continue;
    m.drawn = drawn;
    m.bar.style.clipPath = `inset(0 ${100 - percent(m.level)}% 0 0)`;
    m.peak.style.left = `${percent(m.held)}%`;
    m.peak.classList.toggle('clip', m.held > -0.5);
    m.track.setAttribute('aria-valuenow', Math.max(FLOOR_DB, m.level).toFixed(0));
  }
  requestAnimationFrame(frame);
}

requestAnimationFrame((now) => {
  lastFrame = now;
  frame(now);
});
