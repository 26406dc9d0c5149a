/** Where SCIM 2.0 is served (R33) and its media type: shared by src/http/scim and the API's document. */
export const SCIM_BASE = '/scim/v2';
export const SCIM_TYPE = 'application/scim+json';
