// The portal works without this file; it only improves the pages.
import { initAll } from '/assets/nhsuk-frontend.min.js';

initAll();

/** Display Name, filled in as the first and last names are typed (R5). */
function displayName() {
  const first = document.getElementById('firstName');
  const last = document.getElementById('lastName');
  const shown = document.getElementById('displayName');
  if (!first || !last || !shown) return;
  const update = () => {
    shown.value = `${first.value.trim()} ${last.value.trim()}`.trim();
  };
  first.addEventListener('input', update);
  last.addEventListener('input', update);
}

/** The Organisational Unit list as a tree: + opens a unit's children, − closes them (the seed's step 8). */
function unitTree() {
  let n = 0;
  for (const node of document.querySelectorAll('.portal-tree__node[data-has-children]')) {
    const children = node.querySelector(':scope > .portal-tree__list');
    const label = node.querySelector(':scope > .nhsuk-radios__item label');
    if (!children || !label) continue;
    children.id ||= `portal-tree-children-${++n}`;
    const open = children.querySelector('input:checked') !== null;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'portal-tree__toggle';
    button.setAttribute('aria-controls', children.id);
    const set = (expanded) => {
      button.setAttribute('aria-expanded', String(expanded));
      button.textContent = expanded ? '−' : '+';
      const hidden = document.createElement('span');
      hidden.className = 'nhsuk-u-visually-hidden';
      hidden.textContent = ` ${expanded ? 'Hide' : 'Show'} the units of ${label.textContent.trim()}`;
      button.append(hidden);
      children.hidden = !expanded;
    };
    set(open);
    button.addEventListener('click', () => set(button.getAttribute('aria-expanded') !== 'true'));
    node.classList.add('portal-tree__node--collapsible');
    node.prepend(button);
  }
}

/** Units and sites of the chosen organisation only (R9); all of them until one is chosen. */
function organisationFilter() {
  const organisation = document.getElementById('organisation');
  if (!organisation) return;
  const apply = () => {
    const code = organisation.value;
    for (const block of document.querySelectorAll('.portal-tree__organisation[data-organisation]')) {
      const other = code !== '' && block.dataset.organisation !== code;
      block.hidden = other;
      const checked = block.querySelector('input:checked');
      if (other && checked) {
        checked.checked = false;
        document.getElementById('organisationalUnit').checked = true;
      }
    }
    for (const group of document.querySelectorAll('#site optgroup[data-organisation]')) {
      const other = code !== '' && group.dataset.organisation !== code;
      group.hidden = other;
      group.disabled = other;
      const site = document.getElementById('site');
      if (other && site.selectedOptions[0]?.parentElement === group) site.value = '';
    }
  };
  organisation.addEventListener('change', apply);
  apply();
}

/** A page's live part (the account's status, an upload's progress), refreshed while the page is open. */
function liveStatus() {
  const region = document.querySelector('[data-status-url]');
  if (!region) return;
  const refresh = async () => {
    try {
      // Marked as the page's own refresh: it does not keep an idle session alive.
      const answer = await fetch(region.dataset.statusUrl, {
        credentials: 'same-origin',
        headers: { 'X-Live-Refresh': '1' },
      });
      if (answer.redirected) {
        // The session has ended: go where the portal sent the refresh (sign in).
        window.location.assign(answer.url);
        return;
      }
      if (answer.ok) {
        const html = await answer.text();
        if (html.trim() !== region.innerHTML.trim()) region.innerHTML = html;
      }
    } catch {
      // Offline for a moment: the next refresh tries again.
    }
  };
  setInterval(
    () => {
      if (!document.hidden) void refresh();
    },
    1000 * Number(region.dataset.refreshSeconds ?? 15),
  );
}

displayName();
unitTree();
organisationFilter();
liveStatus();
