/**
 * One view on screen at a time, picked by the address's hash (#stage, #board, ...), so a reload or a
 * bookmark comes back to the same view and switching never reloads the page (or drops its socket).
 * A narrow screen is a phone on a mic stand: it opens on the stage view; a wider one on the board.
 */
export const VIEWS = ['stage', 'board', 'mixer', 'room', 'midi', 'more'];
const PHONE = '(max-width: 699px)';

function defaultView() {
  return matchMedia(PHONE).matches ? 'stage' : 'board';
}

/** The view a hash asks for; an invite link (#join?...) is the room's, which reads it. */
export function viewOf(hash) {
  if (hash.startsWith('#join')) return 'room';
  const name = hash.slice(1);
  return VIEWS.includes(name) ? name : defaultView();
}

/**
 * Shows the sections whose data-view is the hash's view and marks its tab. Call it before any module
 * that reads the hash on its own (room.js takes an invite out of the address at once).
 */
export function createViews(main, nav) {
  let current = null;

  function show(view) {
    if (view !== current) {
      for (const section of main.querySelectorAll('[data-view]')) section.hidden = section.dataset.view !== view;
      for (const tab of nav.querySelectorAll('a[data-view]')) {
        if (tab.dataset.view === view) tab.setAttribute('aria-current', 'page');
        else tab.removeAttribute('aria-current');
      }
      document.body.dataset.view = view;
      current = view;
    }
  }

  // A view's name is also the id of the element its module draws into (#board, #room): the browser
  // scrolls to that element on a hash change and at load, where a view should start at its top.
  const top = () => {
    main.scrollTop = 0;
    window.scrollTo(0, 0);
  };
  window.addEventListener('hashchange', () => {
    show(viewOf(location.hash));
    top();
  });
  window.addEventListener('load', top);
  show(viewOf(location.hash));

  return {
    get current() { return current; },
  };
}
