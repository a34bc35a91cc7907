import { h, setText } from './dom.js';
import { toast } from './toast.js';

/**
 * The knob, switch and LED map (hardware.json) as text: load it, edit it, save it. The box checks
 * it whole and answers with the exact place of any mistake; nothing changes until it is right.
 */
export function createHardware(root, send) {
  const status = h('p', { class: 'hint', testid: 'hardware-status' });
  const text = h('textarea', { class: 'hardware-map', rows: '14', spellcheck: 'false', testid: 'hardware-map',
    'aria-label': 'hardware.json' });
  const load = async () => {
    const reply = await send({ cmd: 'hardware.get' }, { quiet: true });
    if (!reply) {
      setText(status, 'This box runs without a hardware map.');
      return;
    }
    const hw = reply.hardware;
    setText(status, hw.problem ? `Not in use: ${hw.problem}`
      : hw.running ? 'Knobs, switches and LEDs are running.' : 'No GPIO here: the map is kept for the box.');
    text.value = JSON.stringify(hw.map, null, 2);
  };
  const save = async () => {
    let map;
    try {
      map = JSON.parse(text.value);
    } catch (error) {
      toast(`Not valid JSON: ${error.message}`);
      return;
    }
    if (await send({ cmd: 'hardware.set', map })) {
      toast('Hardware map saved');
      await load();
    }
  };
  root.replaceChildren(status, text, h('div', { class: 'row' },
    h('button', { type: 'button', testid: 'hardware-reload', text: 'Reload', onclick: load }),
    h('button', { type: 'button', testid: 'hardware-save', text: 'Save', onclick: save })));
  return { load };
}
