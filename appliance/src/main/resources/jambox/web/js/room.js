import { clearDirty, fillIfIdle, h, setText, trackDirty } from './dom.js';

/** What the room server listens on unless its operator chose otherwise (room-server's ServerConfig). */
const DEFAULT_PORT = 7891;
/**
 * Where an invite sends the other player: their own box's page. Every box answers to this name on
 * its own network (when it is the only one there), so the same link works in each player's home.
 */
const INVITE_BASE = 'http://jambox.local/';

function number(value, unit = '', digits = 1) {
  if (value == null || value === '' || Number.isNaN(Number(value))) return '–';
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
  // What this box's codec costs the others (Opus: its 2.5 ms frame's lookahead), in their mouth to ear.
  const codecName = { OPUS: 'Opus' }[latency.sendCodec] ?? latency.sendCodec;
  const codec = latency.sendCodecMs ? `. Sending ${codecName} adds ${number(latency.sendCodecMs, ' ms')} for the others`
    : '';
  return `This box, input to headphones: ${number(latency.inputToOutputMs, ' ms')} `
    + `(sound card ${number(latency.soundCardMs, ' ms', 2)} in and out, pedals ${number(board, ' ms', 2)}${limiter})`
    + codec;
}

// What a player hears in each member's link, from the stats push (docs/control-api.md); `key` names
// the cell for tests. The buffer's own counters (concealed, late) stay in the stats push and the box's status line.
const COLUMNS = [
  ['mouthToEar', 'Mouth to ear', (m, stats) => number(latencyOf(stats, m).mouthToEarMs, ' ms')],
  ['buffer', 'Buffer', (m) => (m.depthMs == null ? '–' : `${number(m.depthMs, '')} / ${number(m.targetMs, ' ms')}`)],
  ['loss', 'Loss', (m) => number(m.lossPercent, ' %', 2)],
  ['drift', 'Drift', (m) => number(m.driftPpm, ' ppm')],
  ['dropouts', 'Dropouts', (m) => number(m.dropouts, '', 0)],
];

/** host:port, an IPv6 host in brackets, as the box writes server addresses. */
function where(r) {
  const host = String(r.host ?? '');
  return `${host.includes(':') ? `[${host}]` : host}:${r.port}`;
}

// What each join status (the state's room.status) tells the player, and how it looks.
const SAY = {
  alone: () => ['Not in a room', ''],
  joining: (r) => [`Joining room '${r.room}' at ${where(r)}…`, ''],
  joined: (r) => [`In room '${r.room}' at ${where(r)} as ${r.name}`, 'joined'],
  wrongSecret: (r) => [`Wrong secret: room '${r.room}' at ${where(r)} turned it down. Check the secret and join again.`, 'trouble'],
  roomFull: (r) => [`Room '${r.room}' is full: the box keeps trying and gets in when a place frees up.`, 'trouble'],
  unknownRoom: (r) => [`No room '${r.room}' on ${where(r)}: check the room's name.`, 'trouble'],
  refused: (r) => [`The room server refused to let the box in: ${r.reason ?? r.state}`, 'trouble'],
  unreachable: (r) => [`Server unreachable: no answer from ${where(r)}. The box keeps trying.`, 'trouble'],
  left: (r) => [`Left room '${r.room}'. Not in a room.`, ''],
};

/** A box too old to send room.status: its joined flag is all there is. */
function statusOf(r) {
  if (r.status && SAY[r.status]) return r.status;
  return r.joined ? 'joined' : 'alone';
}

/** The invite link: server, port and room, and the secret only when asked for. */
export function inviteLink({ host, port, room, secret }) {
  const q = new URLSearchParams({ host, port: String(port), room });
  if (secret) q.set('secret', secret);
  return `${INVITE_BASE}#join?${q}`;
}

/** The fields of an invite link (or of its #join?… part alone), or null when the text is not one. */
export function readInvite(text) {
  const at = String(text ?? '').indexOf('join?');
  if (at < 0) return null;
  const q = new URLSearchParams(String(text).slice(at + 'join?'.length).trim());
  const invite = { host: q.get('host'), port: q.get('port'), room: q.get('room'), secret: q.get('secret') };
  return invite.host && invite.room ? invite : null;
}

/** Who is in the room and how their audio is arriving; joining, leaving, inviting. */
export function createRoom(root, send) {
  const status = h('p', { class: 'room-state', testid: 'room-state', text: 'Not in a room', role: 'status' });
  const rtt = h('p', { class: 'hint', testid: 'room-rtt' });
  const own = h('p', { class: 'latency hint', testid: 'own-latency' });
  const field = (name, label, attrs = {}) => {
    const input = h('input', { name, autocomplete: 'off', ...attrs });
    trackDirty(input);
    return { input, row: h('label', { class: 'field' }, h('span', { text: label }), input) };
  };
  const host = field('host', 'Server', { inputmode: 'url', required: true, placeholder: 'jam.example.org' });
  const port = field('port', 'Port', { type: 'number', min: '1', max: '65535', inputmode: 'numeric', required: true,
    placeholder: String(DEFAULT_PORT) });
  const room = field('room', 'Room', { required: true });
  const secret = field('secret', 'Secret', { type: 'password', autocomplete: 'current-password' });
  const name = field('name', 'Your name', { required: true });

  const leave = h('button', { type: 'button', testid: 'room-leave', text: 'Leave', disabled: true,
    onclick: () => send({ cmd: 'room.leave' }) });
  const form = h('form', { class: 'join', testid: 'room-join-form' },
    h('div', { class: 'fields' }, host.row, port.row, room.row, secret.row, name.row),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', testid: 'room-join', text: 'Join' }), leave));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    inviteHeld = null;
    const reply = await send({
      cmd: 'room.join', host: host.input.value.trim(), port: Number(port.input.value || DEFAULT_PORT),
      room: room.input.value.trim(), secret: secret.input.value, name: name.input.value.trim(),
    });
    if (reply) clearDirty(host.input, port.input, room.input, name.input);
  });

  // The invite: made from what the form holds, so it can be sent before joining too.
  const withSecret = h('input', { type: 'checkbox', testid: 'room-invite-secret' });
  const link = h('input', { readonly: true, testid: 'room-invite-link', 'aria-label': 'Invite link' });
  const copy = h('button', { type: 'button', testid: 'room-invite-copy', text: 'Copy' });
  const inviteNote = h('p', { class: 'hint', testid: 'room-invite-note' });
  const invite = h('div', { class: 'invite', testid: 'room-invite', hidden: true },
    h('p', { class: 'hint', text: 'Send this to the other players. Opened in their browser, it fills their box\'s '
      + 'join form with the server, port and room; they add their name (and the secret) and press Join.' }),
    h('label', { class: 'field inline' }, withSecret, h('span', { text: 'Include the secret' })),
    h('div', { class: 'row' }, link, copy), inviteNote);
  const inviteButton = h('button', { type: 'button', testid: 'room-invite-open', text: 'Invite players…',
    onclick: () => { invite.hidden = !invite.hidden; updateInvite(); } });
  const pasteNote = h('p', { class: 'hint', testid: 'room-invite-paste-note' });
  const paste = h('input', { testid: 'room-invite-paste', placeholder: 'Paste an invite link here',
    'aria-label': 'Invite link to use' });
  const usePaste = h('button', { type: 'button', testid: 'room-invite-use', text: 'Fill in',
    onclick: () => {
      const got = readInvite(paste.value);
      setText(pasteNote, got ? '' : 'That is not a jambox invite link: it has no "#join?host=…&room=…" part.');
      if (got) { fillFromInvite(got); paste.value = ''; }
    } });

  function updateInvite() {
    if (invite.hidden) return;
    const where = { host: host.input.value.trim(), port: port.input.value || DEFAULT_PORT, room: room.input.value.trim() };
    if (!where.host || !where.room) {
      link.value = '';
      setText(inviteNote, 'Fill in the server and the room first.');
      return;
    }
    const s = withSecret.checked ? secret.input.value : '';
    link.value = inviteLink({ ...where, secret: s });
    setText(inviteNote, withSecret.checked && !s
      ? 'Type the secret into the form above to include it.'
      : `Room '${where.room}' on ${where.host}, port ${where.port}${s ? ', with the secret: send it only to players you trust.' : ', without the secret.'}`);
  }
  for (const input of [host.input, port.input, room.input, secret.input]) input.addEventListener('input', updateInvite);
  withSecret.addEventListener('change', updateInvite);
  copy.addEventListener('click', async () => {
    link.select();
    try {
      await navigator.clipboard.writeText(link.value);
      setText(copy, 'Copied');
    } catch {
      setText(copy, 'Select and copy');
    }
    setTimeout(() => setText(copy, 'Copy'), 2000);
  });

  /** Fills the form from an invite and keeps it there: state pushes do not overwrite what the player has not sent. */
  function fillFromInvite(got) {
    host.input.value = got.host;
    port.input.value = got.port ?? String(DEFAULT_PORT);
    room.input.value = got.room;
    if (got.secret) secret.input.value = got.secret;
    for (const input of [host.input, port.input, room.input, secret.input]) input.dataset.dirty = 'true';
    setText(status, `Invited to room '${got.room}' on ${where({ host: got.host, port: port.input.value })}: `
      + `${got.secret ? '' : 'add the secret, '}check your name and press Join.`);
    status.dataset.status = 'invited';
    status.classList.remove('joined', 'trouble');
    inviteHeld = { status: lastStatus };
    (got.secret ? name.input : secret.input).focus();
  }

  // An invite's hint stays until the box has news of its own (a join, a refusal), not at every push.
  let inviteHeld = null;
  let lastStatus = null;
  // An invite link opened in this tab; the hash goes from the address bar at once (it may hold the secret).
  function takeInviteFromAddress() {
    const got = location.hash.startsWith('#join?') ? readInvite(location.hash) : null;
    if (!got) return;
    history.replaceState(null, '', location.pathname + location.search);
    fillFromInvite(got);
  }
  window.addEventListener('hashchange', takeInviteFromAddress);

  const body = h('tbody');
  const table = h('table', { class: 'stats', testid: 'room-members' },
    h('thead', {}, h('tr', {}, h('th', { text: 'Player' }), COLUMNS.map(([, title]) => h('th', { text: title })))),
    body);

  root.replaceChildren(status, rtt, own, h('div', { class: 'table-wrap' }, table), form,
    h('div', { class: 'row' }, inviteButton), invite, h('div', { class: 'row' }, paste, usePaste), pasteNote);
  takeInviteFromAddress();

  let names = new Map();
  let joined = false;

  return {
    renderState(state) {
      const r = state.room ?? {};
      const code = statusOf(r);
      joined = code === 'joined';
      // An invite's hint stays until the box has news of its own (a join, a refusal), not at every push.
      if (inviteHeld) {
        inviteHeld.status ??= code;
        if (inviteHeld.status !== code) inviteHeld = null;
      }
      if (!inviteHeld) {
        const [words, look] = SAY[code](r);
        setText(status, words);
        status.dataset.status = code;
        status.classList.toggle('joined', look === 'joined');
        status.classList.toggle('trouble', look === 'trouble');
      }
      lastStatus = code;
      // Leave stops a join that keeps failing too, not only a joined room.
      leave.disabled = code === 'alone' || code === 'left';
      if (r.host != null) fillIfIdle(host.input, r.host);
      if (r.port != null) fillIfIdle(port.input, r.port);
      if (r.room != null) fillIfIdle(room.input, r.room);
      if (r.name != null) fillIfIdle(name.input, r.name);
      if (!joined) setText(rtt, '');
      names = new Map((state.mixer?.members ?? []).map((m) => [String(m.id), m.name]));
      setText(own, ownLatency(state.latency));
      updateInvite();
    },
    renderStats(stats) {
      if (stats.latency) setText(own, ownLatency(stats.latency));
      const rttMs = stats.room?.rttMs;
      setText(rtt, joined && rttMs != null ? `Round trip to the room server: ${number(rttMs, ' ms')}` : '');
      const members = Array.isArray(stats.members) ? stats.members : [];
      const cells = (m) => COLUMNS.map(([key, title, cell]) => h('td', { 'data-label': title, data: { col: key },
        text: cell(m, stats) }));
      // In a room the server mixes, the others come down as one stream: its link heads the table,
      // and the players' own rows have no link of their own to show.
      const mix = stats.serverMix && typeof stats.serverMix === 'object' ? stats.serverMix : null;
      const rows = mix ? [h('tr', { testid: 'room-server-mix', title: 'Everyone else, mixed by the room server' },
        h('th', { text: 'Server mix' }), cells(mix))] : [];
      rows.push(...members.map((m) => h('tr', { testid: 'room-member', data: { member: m.id } },
        h('th', { text: m.name ?? names.get(String(m.id)) ?? `#${m.id}` }), cells(m))));
      if (!rows.length) {
        rows.push(h('tr', {}, h('td', { colspan: String(COLUMNS.length + 1), class: 'hint',
          text: joined ? 'Waiting for other players…' : 'Join a room to jam.' })));
      }
      body.replaceChildren(...rows);
    },
  };
}
