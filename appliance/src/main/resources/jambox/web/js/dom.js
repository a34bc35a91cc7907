// One way to build elements, so every module writes markup the same way and test hooks are never forgotten.
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'type', 'hidden']);

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'data') for (const [k, v] of Object.entries(value)) { if (v != null) el.dataset[k] = v; }
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child != null && child !== false) el.append(child);
  }
  return el;
}

export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

// A field the player is typing into keeps what they typed; pushes only fill fields nobody is editing.
export function fillIfIdle(input, value) {
  if (document.activeElement === input || input.dataset.dirty === 'true') return;
  const text = value == null ? '' : String(value);
  if (input.value !== text) input.value = text;
}

export function trackDirty(input) {
  input.addEventListener('input', () => { input.dataset.dirty = 'true'; });
}

export function clearDirty(...inputs) {
  for (const input of inputs) delete input.dataset.dirty;
}

export function toggle(button, on) {
  button.setAttribute('aria-pressed', on ? 'true' : 'false');
  button.classList.toggle('on', !!on);
}

/**
 * A button that acts on a second tap within a few seconds: the first tap only asks ("Sure?").
 * For what a stray tap on stage must not do at once (lose a preset, pull a pedal off the board).
 */
export function confirmTwice(button, armedText, action, ms = 3000) {
  const restText = button.textContent;
  button.addEventListener('click', () => {
    if (button.dataset.armed !== 'true') {
      button.dataset.armed = 'true';
      button.textContent = armedText;
      setTimeout(() => { button.dataset.armed = 'false'; button.textContent = restText; }, ms);
      return;
    }
    button.dataset.armed = 'false';
    button.textContent = restText;
    action();
  });
  return button;
}
