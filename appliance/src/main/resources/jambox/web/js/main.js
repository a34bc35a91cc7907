import { createBoard } from './board.js';
import { setText } from './dom.js';
import { createLogin } from './login.js';
import { silenceMeters, updateMeters } from './meters.js';
import { createMidi } from './midi.js';
import { createMixer } from './mixer.js';
import { createPresets } from './presets.js';
import { createProblems } from './problems.js';
import { createRecordings } from './recordings.js';
import { createRoom } from './room.js';
import { createStage } from './stage.js';
import { BoxSocket } from './socket.js';
import { createSystem } from './system.js';
import { createHardware } from './hardware.js';
import { createIrs } from './irs.js';
import { createLooper } from './looper.js';
import { createTempo } from './tempo.js';
import { toast } from './toast.js';
import { createTuner } from './tuner.js';
import { createViews } from './views.js';

const $ = (id) => document.getElementById(id);
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';

const conn = $('conn');
const STATUS = { connecting: 'Connecting…', open: 'Connected', closed: 'Offline, retrying…' };

const socket = new BoxSocket(`${scheme}//${location.host}/ws`, {
  onStatus(status) {
    conn.dataset.state = status;
    setText(conn, STATUS[status]);
    document.body.classList.toggle('offline', status !== 'open');
    if (status !== 'open') silenceMeters();
  },
  onOpen: opened,
  onPush: receive,
});

/**
 * Sends a command and resolves with the box's reply, or with null after showing its error: callers
 * only act on success, and a refused command never leaves a rejected promise behind.
 */
async function send(command, { quiet = false } = {}) {
  try {
    return await socket.send(command);
  } catch (error) {
    if (login.looksLikeLocked(error.message)) login.ask();
    if (!quiet) toast(error.message);
    return null;
  }
}

// First: room.js takes an invite link out of the address as it starts, and the views must see it.
const views = createViews($('views'), $('tabs'));
const stage = createStage($('stage'), send);
const board = createBoard($('board'), send);
const mixer = createMixer($('mixer'), send);
const room = createRoom($('room'), send);
const tuner = createTuner($('tuner'), send);
const presets = createPresets($('presets'), send);
const tempo = createTempo($('tempo'), send);
const looper = createLooper($('looper-panel'), $('looper'), send);
const recordings = createRecordings($('recordings'), send);
const irs = createIrs($('irs'), send);
const hardware = createHardware($('hardware'), send);
const midi = createMidi($('midi'), send);
const problems = createProblems($('problems'));
const system = createSystem($('system'), send, () => socket.isOpen(), (reply) => {
  problems.render(reply);
  midi.renderSystem(reply);
});
const login = createLogin($('login'), socket, fetchState);

window.jambox = { state: null, send };

function render(state) {
  window.jambox.state = state;
  // The preset the board came from, and whether it has been changed since: "Crunch (edited)".
  const name = state.preset ?? state.board?.name ?? '';
  setText($('board-name'), state.preset && state.presetEdited ? `${name} (edited)` : name);
  stage.renderState(state);
  board.render(state);
  mixer.render(state);
  room.renderState(state);
  tuner.renderState(state);
  presets.renderState(state);
  tempo.renderState(state);
  looper.renderState(state);
  recordings.renderState(state);
  irs.renderState(state);
  system.renderState(state);
  midi.renderState(state);
}

function receive(message) {
  switch (message.type) {
    case 'state': render(message.state); break;
    case 'meters':
      updateMeters(message);
      looper.renderMeters(message);
      break;
    case 'midi': midi.renderActivity(message); break;
    case 'tuner':
      tuner.renderReading(message);
      stage.renderReading(message);
      break;
    case 'stats':
      room.renderStats(message);
      stage.renderStats(message);
      system.renderStats(message);
      break;
    default: break;
  }
}

// The box pushes the state on connect, but a box with a PIN refuses everything until login; asking
// once is how the page tells the two apart without depending on the wording of the error.
async function fetchState() {
  try {
    const reply = await socket.send({ cmd: 'state' });
    render(reply.state);
    return true;
  } catch {
    if (socket.isOpen()) login.ask();
    return false;
  }
}

async function opened() {
  presets.reset();
  stage.reset();
  recordings.reset();
  await login.resume();
  if (await fetchState()) {
    system.poll();
    hardware.load();
  }
}

socket.connectNow();
