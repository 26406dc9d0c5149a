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

/** GETs a live part of a page; undefined when it did not answer (the next refresh tries again). */
async function fetchLivePart(url, answered = () => {}) {
  try {
    // Marked as the page's own refresh: it does not keep an idle session alive.
    const answer = await fetch(url, { credentials: 'same-origin', headers: { 'X-Live-Refresh': '1' } });
    if (answer.redirected) {
      // The session has ended: go where the portal sent the refresh (sign in).
      window.location.assign(answer.url);
      return undefined;
    }
    if (!answer.ok) return undefined;
    answered(answer);
    return await answer.text();
  } catch {
    return undefined; // offline for a moment
  }
}

/** Calls `refresh` every `seconds` while the page is shown. */
function every(seconds, refresh) {
  setInterval(() => {
    if (!document.hidden) void refresh();
  }, 1000 * seconds);
}

/** A page's live part (an upload's progress), refreshed while the page is open. */
function liveStatus() {
  const region = document.querySelector('[data-status-url]');
  if (!region) return;
  every(Number(region.dataset.refreshSeconds ?? 15), async () => {
    const html = await fetchLivePart(region.dataset.statusUrl);
    if (html !== undefined && html.trim() !== region.innerHTML.trim()) region.innerHTML = html;
  });
}

/** Where a form field or button is, to find it again in refreshed content: its id, or its form and place. */
function placeOf(element, root) {
  if (element.id) return { id: element.id };
  const form = element.closest('form');
  if (!form || !root.contains(form)) return undefined;
  return { action: form.getAttribute('action'), index: [...form.elements].indexOf(element) };
}

function findPlace(place, root) {
  if (!place) return null;
  if (place.id) return root.querySelector(`#${window.CSS.escape(place.id)}`);
  const form = [...root.querySelectorAll('form')].find((f) => f.getAttribute('action') === place.action);
  return form?.elements[place.index] ?? null;
}

/** What the administrator typed or chose and has not sent: kept when the content around it is refreshed. */
function typedValues(root, keepAll) {
  const typed = [];
  for (const field of root.querySelectorAll('input, textarea')) {
    if (field.type === 'hidden' || field.type === 'submit') continue;
    const choice = field.type === 'radio' || field.type === 'checkbox';
    const changed = choice ? field.checked !== field.defaultChecked : field.value !== field.defaultValue;
    if (changed || keepAll)
      typed.push({ place: placeOf(field, root), value: field.value, checked: field.checked, choice });
  }
  return typed;
}

function restoreTyped(typed, root) {
  for (const { place, value, checked, choice } of typed) {
    const field = findPlace(place, root);
    if (!field) continue;
    if (choice) {
      if (field.value === value) field.checked = checked;
    } else field.value = value;
  }
}

/**
 * The Account page's whole content, refreshed while the page is open: when the account changes (Pending
 * turns Active, an exception ends), its details, MFA and policy rows, actions and history change with it.
 * What was typed and where the focus was are kept; a new status is announced to screen readers.
 */
function livePage() {
  const region = document.querySelector('[data-live-url]');
  const announcement = document.getElementById('account-announcement');
  if (!region) return;
  every(Number(region.dataset.refreshSeconds ?? 15), async () => {
    let digest;
    const html = await fetchLivePart(region.dataset.liveUrl, (answer) => {
      digest = answer.headers.get('Content-Digest');
    });
    // Unchanged since the server last sent it: nothing to do (what was typed lives in the fields).
    if (html === undefined || !digest || digest === region.dataset.contentDigest) return;
    region.dataset.contentDigest = digest;
    const next = document.createElement('div');
    next.innerHTML = html;
    const before = region.querySelector('[data-status]')?.dataset.status;
    const focused = region.contains(document.activeElement)
      ? placeOf(document.activeElement, region)
      : undefined;
    const selection = focused ? selectionOf(document.activeElement) : undefined;
    const typed = typedValues(region, document.querySelector('.nhsuk-error-summary') !== null);
    region.replaceChildren(...next.childNodes);
    restoreTyped(typed, region);
    initAll({ scope: region });
    const again = findPlace(focused, region);
    if (again) {
      again.focus({ preventScroll: true });
      if (selection && typeof again.setSelectionRange === 'function') again.setSelectionRange(...selection);
    }
    const after = region.querySelector('[data-status]')?.dataset.status;
    if (announcement && after && after !== before) {
      announcement.textContent = `The account is now ${after}; the page has been updated.`;
    }
  });
}

function selectionOf(element) {
  try {
    return typeof element.selectionStart === 'number'
      ? [element.selectionStart, element.selectionEnd]
      : undefined;
  } catch {
    return undefined;
  }
}

displayName();
unitTree();
organisationFilter();
liveStatus();
livePage();
