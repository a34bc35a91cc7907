import { clearDirty, fillIfIdle, h, setText, trackDirty } from './dom.js';

// The stats push names its fields but not its nesting; accept members as a list or as a map by id,
// and a round-trip time per member or for the whole room.
function membersOf(stats) {
  const members = stats.members ?? [];
  return Array.isArray(members) ? members : Object.entries(members).map(([id, m]) => ({ id, ...m }));
}

function rttOf(stats, member) {
  if (member.rtt != null) return member.rtt;
  const rtt = stats.room?.rttMs ?? stats.room?.rtt ?? stats.rtt;
  return rtt != null && typeof rtt === 'object' ? rtt[member.id] : rtt;
}

function number(value, unit = '', digits = 1) {
  if (value == null || Number.isNaN(Number(value))) return '–';
  const n = Number(value);
  return `${Number.isInteger(n) ? n : n.toFixed(digits)}${unit}`;
}

function latencyOf(stats, member) {
  return (stats.latency?.members ?? []).find((l) => String(l.id) === String(member.id)) ?? {};
}

/** The box's own, from its input to the headphones, and what makes it up. */
function ownLatency(latency) {
  if (!latency || latency.inputToOutputMs == null) return '';
  const board = Math.max(...(latency.boardMs ?? [0]));
  const limiter = latency.limiterMs ? `, limiter ${number(latency.limiterMs, ' ms', 2)}` : '';
  return `This box, input to headphones: ${number(latency.inputToOutputMs, ' ms')} `
    + `(sound card ${number(latency.soundCardMs, ' ms', 2)} in and out, pedals ${number(board, ' ms', 2)}${limiter})`;
}

const COLUMNS = [
  ['Mouth to ear', (m, stats) => number(latencyOf(stats, m).mouthToEarMs, ' ms')],
  ['RTT', (m, stats) => number(rttOf(stats, m), ' ms')],
  ['Buffer', (m) => `${number(m.depth, '', 0)} / ${number(m.target, '', 0)}`],
  ['Loss', (m) => number(m.loss)],
  ['Concealed', (m) => number(m.concealed, '', 0)],
  ['Late', (m) => number(m.late, '', 0)],
  ['Drift', (m) => number(m.drift, '', 2)],
  ['Dropouts', (m) => number(m.dropouts, '', 0)],
];

/** Who is in the room and how their audio is arriving; joining and leaving. */
export function createRoom(root, send) {
  const status = h('p', { class: 'room-state', testid: 'room-state', text: 'Not in a room' });
  const own = h('p', { class: 'latency hint', testid: 'own-latency' });
  const field = (name, label, attrs = {}) => {
    const input = h('input', { name, autocomplete: 'off', ...attrs });
    trackDirty(input);
    return { input, row: h('label', { class: 'field' }, h('span', { text: label }), input) };
  };
  const host = field('host', 'Host', { inputmode: 'url', required: true, placeholder: 'jam.example.org' });
  const port = field('port', 'Port', { type: 'number', min: '1', max: '65535', inputmode: 'numeric', required: true, placeholder: '7890' });
  const room = field('room', 'Room', { required: true });
  const secret = field('secret', 'Secret', { type: 'password', autocomplete: 'current-password' });
  const name = field('name', 'Your name', { required: true });

  const leave = h('button', { type: 'button', testid: 'room-leave', text: 'Leave',
    onclick: () => send({ cmd: 'room.leave' }) });
  const form = h('form', { class: 'join', testid: 'room-join-form' },
    h('div', { class: 'fields' }, host.row, port.row, room.row, secret.row, name.row),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', testid: 'room-join', text: 'Join' }), leave));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reply = await send({
      cmd: 'room.join', host: host.input.value.trim(), port: Number(port.input.value),
      room: room.input.value.trim(), secret: secret.input.value, name: name.input.value.trim(),
    });
    if (reply) clearDirty(host.input, port.input, room.input, name.input);
  });

  const body = h('tbody');
  const table = h('table', { class: 'stats', testid: 'room-members' },
    h('thead', {}, h('tr', {}, h('th', { text: 'Player' }), COLUMNS.map(([title]) => h('th', { text: title })))),
    body);

  root.replaceChildren(status, own, h('div', { class: 'table-wrap' }, table), form);

  let names = new Map();
  let joined = false;

  return {
    renderState(state) {
      const r = state.room ?? {};
      joined = !!r.joined;
      setText(status, r.state || (joined ? 'In a room' : 'Not in a room'));
      status.classList.toggle('joined', joined);
      leave.disabled = !joined;
      fillIfIdle(host.input, r.host);
      fillIfIdle(port.input, r.port);
      fillIfIdle(room.input, r.room);
      fillIfIdle(name.input, r.name);
      names = new Map((state.mixer?.members ?? []).map((m) => [String(m.id), m.name]));
      setText(own, ownLatency(state.latency));
    },
    renderStats(stats) {
      if (stats.latency) setText(own, ownLatency(stats.latency));
      const rows = membersOf(stats).map((m) => h('tr', { testid: 'room-member', data: { member: m.id } },
        h('th', { text: m.name ?? names.get(String(m.id)) ?? `#${m.id}` }),
        COLUMNS.map(([title, cell]) => h('td', { 'data-label': title, text: cell(m, stats) }))));
      if (!rows.length) {
        rows.push(h('tr', {}, h('td', { colspan: String(COLUMNS.length + 1), class: 'hint',
          text: joined ? 'Waiting for other players…' : 'Join a room to jam.' })));
      }
      body.replaceChildren(...rows);
    },
  };
}
