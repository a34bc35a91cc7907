// Errors are short-lived facts about one command; they should not pile up or cover the board.
const MAX_VISIBLE = 3;
let box;

export function toast(message, kind = 'error') {
  box ??= document.getElementById('toasts');
  const item = document.createElement('div');
  item.className = `toast ${kind}`;
  item.dataset.testid = 'toast';
  item.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  item.textContent = message;
  item.addEventListener('click', () => item.remove());
  box.append(item);
  while (box.children.length > MAX_VISIBLE) box.firstElementChild.remove();
  setTimeout(() => item.remove(), kind === 'error' ? 5000 : 2500);
}
