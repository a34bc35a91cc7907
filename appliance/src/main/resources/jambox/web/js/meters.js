// Meter frames come at ~20 Hz and may be dropped; drawing on animation frames with a falling bar and a
// held peak keeps the motion smooth and a clip visible long enough to be seen from the floor.
const FLOOR_DB = -60;
const FALL_DB_PER_S = 24;
const PEAK_HOLD_MS = 1500;
const PEAK_FALL_DB_PER_S = 12;

const meters = new Map();
let lastFrame = 0;

function percent(db) {
  return Math.max(0, Math.min(1, (db - FLOOR_DB) / -FLOOR_DB)) * 100;
}

/** A horizontal meter; `key` is how `meters` pushes name it: in-0, out-1, member-2. */
export function createMeter(key, label) {
  const bar = document.createElement('div');
  bar.className = 'meter-bar';
  const peak = document.createElement('div');
  peak.className = 'meter-peak';
  const el = document.createElement('div');
  el.className = 'meter';
  el.dataset.testid = `meter-${key}`;
  el.setAttribute('role', 'meter');
  el.setAttribute('aria-label', label);
  el.setAttribute('aria-valuemin', String(FLOOR_DB));
  el.setAttribute('aria-valuemax', '0');
  el.append(bar, peak);
  meters.set(key, { el, bar, peak, target: FLOOR_DB, level: FLOOR_DB, held: FLOOR_DB, heldAt: 0, drawn: null });
  return el;
}

export function updateMeters(message) {
  const levels = new Map();
  (message.in ?? []).forEach((db, i) => levels.set(`in-${i}`, db));
  (message.out ?? []).forEach((db, i) => levels.set(`out-${i}`, db));
  for (const [id, db] of Object.entries(message.members ?? {})) levels.set(`member-${id}`, db);
  for (const [key, db] of levels) {
    const meter = meters.get(key);
    if (!meter) continue;
    meter.target = db == null ? FLOOR_DB : Math.max(FLOOR_DB, db);
    meter.el.dataset.db = db == null ? '-inf' : db.toFixed(1);
  }
}

export function silenceMeters() {
  for (const meter of meters.values()) {
    meter.target = FLOOR_DB;
    meter.el.dataset.db = '-inf';
  }
}

function frame(now) {
  const dt = Math.min(0.1, (now - lastFrame) / 1000);
  lastFrame = now;
  for (const [key, m] of meters) {
    if (!m.el.isConnected) {
      meters.delete(key);
      continue;
    }
    m.level = m.target >= m.level ? m.target : Math.max(m.target, m.level - FALL_DB_PER_S * dt);
    if (m.target >= m.held) {
      m.held = m.target;
      m.heldAt = now;
    } else if (now - m.heldAt > PEAK_HOLD_MS) {
      m.held = Math.max(m.level, m.held - PEAK_FALL_DB_PER_S * dt);
    }
    const drawn = `${m.level.toFixed(1)}|${m.held.toFixed(1)}`;
    if (drawn === m.drawn) continue;
    m.drawn = drawn;
    m.bar.style.clipPath = `inset(0 ${100 - percent(m.level)}% 0 0)`;
    m.peak.style.left = `${percent(m.held)}%`;
    m.peak.classList.toggle('clip', m.held > -0.5);
    m.el.setAttribute('aria-valuenow', m.level.toFixed(0));
  }
  requestAnimationFrame(frame);
}

requestAnimationFrame((now) => {
  lastFrame = now;
  frame(now);
});
