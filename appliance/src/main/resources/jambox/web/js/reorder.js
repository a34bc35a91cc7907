// Reordering by dragging a card's handle. Nothing moves for real until the box's next state push:
// the card only follows the finger and the drop target lights up.

// A finger this close to the top or bottom of what is visible scrolls the view, faster the closer it
// is, so a card can be taken to one off screen: the handle holds the finger, the page cannot be swiped.
const EDGE_PX = 90;
const MAX_SCROLL_PX = 18;   // per animation frame

/** What scrolls the cards: the view between the page's header and its tabs, or the page itself. */
function scrollerOf(el) {
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (/(auto|scroll)/.test(getComputedStyle(a).overflowY) && a.scrollHeight > a.clientHeight) return a;
  }
  return document.scrollingElement;
}

function scrollSpeed(scroller, y) {
  const whole = scroller === document.scrollingElement;
  const r = scroller.getBoundingClientRect();
  const top = whole ? 0 : Math.max(0, r.top);
  const bottom = whole ? window.innerHeight : Math.min(window.innerHeight, r.bottom);
  const depth = y < top + EDGE_PX ? (y - top - EDGE_PX) : y > bottom - EDGE_PX ? (y - bottom + EDGE_PX) : 0;
  return Math.max(-1, Math.min(1, depth / EDGE_PX)) * MAX_SCROLL_PX;
}

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

  // Where the finger is, in page coordinates: the card stays under it while the page scrolls.
  function follow() {
    const dx = drag.clientX + drag.scroller.scrollLeft - drag.x;
    const dy = drag.clientY + drag.scroller.scrollTop - drag.y;
    drag.card.style.transform = `translate(${dx}px, ${dy}px)`;
    const target = targetAt(drag.clientX, drag.clientY);
    if (target !== drag.target) {
      drag.target?.classList.remove('drop-target');
      if (target !== drag.card) target?.classList.add('drop-target');
      drag.target = target;
    }
  }

  function autoScroll() {
    if (!drag) return;
    const speed = scrollSpeed(drag.scroller, drag.clientY);
    if (speed) {
      const before = drag.scroller.scrollTop;
      // The lifted card, moved along, makes room below itself: stop where the view ended at the lift.
      drag.scroller.scrollTop = Math.max(0, Math.min(drag.end, before + speed));
      if (drag.scroller.scrollTop !== before) follow();
    }
    drag.frame = requestAnimationFrame(autoScroll);
  }

  function clear() {
    if (!drag) return;
    cancelAnimationFrame(drag.frame);
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
    const scroller = scrollerOf(chain);
    drag = { id: event.pointerId, card, scroller, x: event.clientX + scroller.scrollLeft, y: event.clientY + scroller.scrollTop,
      clientX: event.clientX, clientY: event.clientY, target: null, frame: 0,
      end: scroller.scrollHeight - scroller.clientHeight };
    drag.frame = requestAnimationFrame(autoScroll);
  });

  chain.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    drag.clientX = event.clientX;
    drag.clientY = event.clientY;
    follow();
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
