import { h } from './dom.js';

// What the player must fix before the box can do its job, from the system reply, at the top of the
// page where it cannot be missed: a mistake in the config, no audio interface, a named card that is
// not there.
function problemsOf(system) {
  const out = [];
  if (system.configError) {
    out.push('The config has a mistake, so the box plays alone with its built-in settings until it is fixed'
      + ` and the box restarted: ${system.configError}`);
  }
  if (system.audioInterface?.problem) out.push(system.audioInterface.problem);
  return out.map((text) => text.charAt(0).toUpperCase() + text.slice(1));
}

export function createProblems(root) {
  return {
    render(system) {
      const problems = problemsOf(system);
      root.hidden = problems.length === 0;
      root.replaceChildren(...problems.map((text) => h('p', { text })));
    },
  };
}
