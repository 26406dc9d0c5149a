// Tells NHS.UK frontend's styles that its JavaScript runs (the portal allows no inline script).
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
