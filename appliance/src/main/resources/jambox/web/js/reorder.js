// Reordering by dragging a card's handle. Nothing moves for real until the box's next state push:
// the card only follows the finger and the drop target lights up.
export function enableReorder(chain, onMove) {
  let drag = null;

  function cards() {
    return [...chain.querySelectorAll(':scope > [data-testid="pedal"]')];
  }

  function targetAt(x, y) {
    let best = null;
    let bestDistance = Infinity;
    for (const card of cards()) {
      const r = card.getBoundingClientRect();
      const distance = Math.hypot(x - (r.left + r.right) / 2, y - (r.top + r.bottom) / 2);
      if (distance < bestDistance) {
        best = card;
        bestDistance = distance;
      }
    }
    return best;
  }

  function clear() {
    if (!drag) return;
    drag.card.classList.remove('lifted');
    drag.card.style.transform = '';
    drag.target?.classList.remove('drop-target');
    drag = null;
  }

  chain.addEventListener('pointerdown', (event) => {
    const handle = event.target.closest('[data-testid="handle"]');
    if (!handle || event.button !== 0) return;
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    const card = handle.closest('[data-testid="pedal"]');
    card.classList.add('lifted');
    drag = { id: event.pointerId, card, x: event.clientX, y: event.clientY, target: null };
  });

  chain.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    drag.card.style.transform = `translate(${event.clientX - drag.x}px, ${event.clientY - drag.y}px)`;
    const target = targetAt(event.clientX, event.clientY);
    if (target !== drag.target) {
      drag.target?.classList.remove('drop-target');
      if (target !== drag.card) target?.classList.add('drop-target');
      drag.target = target;
    }
  });

  chain.addEventListener('pointerup', (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const from = Number(drag.card.dataset.index);
    const to = drag.target ? Number(drag.target.dataset.index) : from;
    clear();
    if (to !== from) onMove(from, to);
  });

  chain.addEventListener('pointercancel', clear);

  // Without a pointer: focus the handle and use the arrow keys.
  chain.addEventListener('keydown', (event) => {
    const handle = event.target.closest?.('[data-testid="handle"]');
    if (!handle) return;
    const step = { ArrowUp: -1, ArrowLeft: -1, ArrowDown: 1, ArrowRight: 1 }[event.key];
    if (!step) return;
    event.preventDefault();
    const from = Number(handle.closest('[data-testid="pedal"]').dataset.index);
    const to = from + step;
    if (to >= 0 && to < cards().length) onMove(from, to);
  });
}
