/**
 * A panel rebuilt only when its shape changes (a pedal added, a member joined) and otherwise updated in
 * place, so focus, open selects and knobs under a finger survive the pushes that arrive while playing.
 * A rebuild that would pull a knob out from under a finger waits until that knob has settled.
 */
export function liveView(root, { shapeOf, build }) {
  let shape = null;
  let updaters = [];
  let knobs = [];
  let waiting = null;

  function render(state) {
    const next = shapeOf(state);
    if (next === shape) {
      for (const update of updaters) update(state);
      return;
    }
    if (knobs.some((k) => k.busy)) {
      waiting = state;
      return;
    }
    waiting = null;
    shape = next;
    updaters = [];
    knobs = [];
    const parts = build(state, {
      update: (fn) => updaters.push(fn),
      knob: (knob) => { knobs.push(knob); return knob; },
      settled,
    });
    root.replaceChildren(...[parts].flat());
    for (const update of updaters) update(state);
  }

  function settled() {
    if (waiting && !knobs.some((k) => k.busy)) render(waiting);
  }

  return { render };
}
