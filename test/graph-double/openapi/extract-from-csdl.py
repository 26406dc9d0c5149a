#!/usr/bin/env python3
"""
Writes graph-v1.0-subset.json: the OpenAPI 3.0 description of the Microsoft Graph v1.0 paths the engine
calls, derived from Microsoft's published CSDL of Graph v1.0 (schemas/v1.0-Prod.csdl in
github.com/microsoftgraph/msgraph-metadata, MIT licence, see LICENSE beside this file) with the conventions
of Microsoft's own OpenAPI conversion (openApiDocs/v1.0/*.yml in msgraph-sdk-powershell): structural
properties nullable unless Nullable="false", actions' parameters as a request body object with
`additionalProperties: {type: object}`, `microsoft.graph.*` component names.

The published per-module OpenAPI files are several megabytes each and could not be brought here whole; the
CSDL they are generated from could. Usage: python3 extract-from-csdl.py path/to/v1.0-Prod.csdl
"""
import json
import sys
import xml.etree.ElementTree as ET

NS = {'edm': 'http://docs.oasis-open.org/odata/ns/edm'}
TYPES = ['entity', 'directoryObject', 'user', 'passwordProfile', 'assignedLicense', 'assignedPlan',
         'provisionedPlan', 'signInActivity', 'outlookItem', 'message', 'itemBody', 'recipient',
         'emailAddress', 'singleValueLegacyExtendedProperty', 'employeeOrgData']

root = ET.parse(sys.argv[1]).getroot()
schema = next(s for s in root.iter('{%s}Schema' % NS['edm']) if s.get('Namespace') == 'microsoft.graph')
types = {t.get('Name'): t for t in schema if t.tag.endswith('EntityType') or t.tag.endswith('ComplexType')}
enums = {t.get('Name'): [m.get('Name') for m in t] for t in schema if t.tag.endswith('EnumType')}

EDM = {
    'Edm.String': {'type': 'string'},
    'Edm.Boolean': {'type': 'boolean'},
    'Edm.Int32': {'type': 'integer', 'format': 'int32'},
    'Edm.Int64': {'type': 'integer', 'format': 'int64'},
    'Edm.Double': {'oneOf': [{'type': 'number'}, {'type': 'string'}]},
    'Edm.Guid': {'type': 'string', 'format': 'uuid', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'},
    'Edm.DateTimeOffset': {'type': 'string', 'format': 'date-time', 'pattern': '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$'},
    'Edm.Date': {'type': 'string', 'format': 'date'},
    'Edm.Binary': {'type': 'string', 'format': 'base64url'},
    'Edm.Stream': {'type': 'string', 'format': 'base64url'},
}


def type_schema(t):
    if t.startswith('Collection('):
        return {'type': 'array', 'items': type_schema(t[len('Collection('):-1])}
    if t in EDM:
        return dict(EDM[t])
    name = t.split('.', 1)[1]
    if name in enums:
        return {'type': 'string', 'enum': enums[name]}
    if name in TYPES:
        return {'$ref': '#/components/schemas/microsoft.graph.' + name}
    return {'type': 'object'}


def component(name):
    t = types[name]
    props = {}
    for p in t:
        if not (p.tag.endswith('Property') or p.tag.endswith('NavigationProperty')):
            continue
        s = type_schema(p.get('Type'))
        if p.tag.endswith('NavigationProperty') and '$ref' not in json.dumps(s):
            continue  # relations to types the engine never writes: left out, as Graph would ignore them
        if p.get('Nullable') != 'false' and not s.get('type') == 'array':
            s = {'anyOf': [s, {'type': 'object', 'nullable': True}]} if '$ref' in s else {**s, 'nullable': True}
        props[p.get('Name')] = s
    own = {'title': name, 'type': 'object', 'properties': props}
    base = t.get('BaseType')
    if base:
        return {'allOf': [{'$ref': '#/components/schemas/microsoft.graph.' + base.split('.', 1)[1]}, own]}
    return own


def action_body(action, binding):
    a = next(x for x in schema if x.tag.endswith('Action') and x.get('Name') == action
             and x[0].get('Type') == 'graph.' + binding)
    props = {p.get('Name'): type_schema(p.get('Type')) for p in a if p.tag.endswith('Parameter')
             and p.get('Name') != 'bindingParameter'}
    return {'type': 'object', 'properties': props, 'additionalProperties': {'type': 'object'}}


def param(name, where='path', schema=None):
    return {'name': name, 'in': where, 'required': where == 'path', 'style': 'simple' if where == 'path' else 'form',
            'schema': schema or {'type': 'string'}}


ODATA = [param('$select', 'query', {'type': 'array', 'uniqueItems': True, 'items': {'type': 'string'}}),
         param('$filter', 'query'), param('$count', 'query', {'type': 'boolean'}),
         param('$top', 'query', {'minimum': 0, 'type': 'integer'}),
         param('ConsistencyLevel', 'header')]
ERROR = {'$ref': '#/components/responses/error'}
ref = lambda n: {'$ref': '#/components/schemas/microsoft.graph.' + n}
json_body = lambda s: {'required': True, 'content': {'application/json': {'schema': s}}}
ok = lambda s=None: {'description': 'Success', **({'content': {'application/json': {'schema': s}}} if s else {})}
collection = lambda n: {'type': 'object', 'properties': {'value': {'type': 'array', 'items': ref(n)},
                                                         '@odata.nextLink': {'type': 'string', 'nullable': True}}}

paths = {
    '/users': {'post': {'operationId': 'users.user.CreateUser', 'requestBody': json_body(ref('user')),
                        'responses': {'201': ok(ref('user')), 'default': ERROR}}},
    '/users/{user-id}': {
        'parameters': [param('user-id')],
        'get': {'operationId': 'users.user.GetUser', 'parameters': ODATA[:1],
                'responses': {'200': ok(ref('user')), 'default': ERROR}},
        'patch': {'operationId': 'users.user.UpdateUser', 'requestBody': json_body(ref('user')),
                  'responses': {'204': ok(), 'default': ERROR}},
        'delete': {'operationId': 'users.user.DeleteUser', 'responses': {'204': ok(), 'default': ERROR}}},
    '/users/{user-id}/assignLicense': {
        'parameters': [param('user-id')],
        'post': {'operationId': 'users.user_assignLicense', 'requestBody': json_body(action_body('assignLicense', 'user')),
                 'responses': {'200': ok(ref('user')), 'default': ERROR}}},
    '/users/{user-id}/revokeSignInSessions': {
        'parameters': [param('user-id')],
        'post': {'operationId': 'users.user_revokeSignInSessions',
                 'responses': {'200': ok({'type': 'object', 'properties': {'value': {'type': 'boolean'}}}), 'default': ERROR}}},
    '/users/{user-id}/sendMail': {
        'parameters': [param('user-id')],
        'post': {'operationId': 'users.user_sendMail', 'requestBody': json_body(action_body('sendMail', 'user')),
                 'responses': {'202': ok(), 'default': ERROR}}},
    '/users/{user-id}/memberOf': {
        'parameters': [param('user-id')],
        'get': {'operationId': 'users.ListMemberOf', 'parameters': ODATA[:1],
                'responses': {'200': ok(collection('directoryObject')), 'default': ERROR}}},
    '/users/{user-id}/mailFolders/{mailFolder-id}/messages': {
        'parameters': [param('user-id'), param('mailFolder-id')],
        'get': {'operationId': 'users.mailFolders.ListMessages', 'parameters': ODATA[:2] + ODATA[3:4],
                'responses': {'200': ok(collection('message')), 'default': ERROR}}},
    '/groups/{group-id}/members/$ref': {
        'parameters': [param('group-id')],
        'post': {'operationId': 'groups.members.CreateRef',
                 'requestBody': json_body({'type': 'object', 'required': ['@odata.id'],
                                           'properties': {'@odata.id': {'type': 'string'}},
                                           'additionalProperties': {'type': 'object'}}),
                 'responses': {'204': ok(), 'default': ERROR}}},
    '/groups/{group-id}/members/{directoryObject-id}/$ref': {
        'parameters': [param('group-id'), param('directoryObject-id')],
        'delete': {'operationId': 'groups.members.DeleteRefDirectoryObject', 'responses': {'204': ok(), 'default': ERROR}}},
    '/directory/deletedItems/microsoft.graph.user': {
        'get': {'operationId': 'directory.ListDeletedItems.AsUser', 'parameters': ODATA,
                'responses': {'200': ok(collection('user')), 'default': ERROR}}},
    '/directory/deletedItems/{directoryObject-id}/restore': {
        'parameters': [param('directoryObject-id')],
        'post': {'operationId': 'directory.deletedItems.directoryObject_restore',
                 'requestBody': {'content': {'application/json': {'schema': {'type': 'object', 'properties': {
                     'autoReconcileProxyConflict': {'type': 'boolean', 'nullable': True},
                     'newUserPrincipalName': {'type': 'string', 'nullable': True}},
                     'additionalProperties': {'type': 'object'}}}}},
                 'responses': {'200': ok(ref('directoryObject')), 'default': ERROR}}},
}

doc = {
    'openapi': '3.0.1',
    'info': {'title': 'Microsoft Graph v1.0: the paths the NHSmail engine calls', 'version': 'v1.0',
             'description': 'Derived from schemas/v1.0-Prod.csdl of microsoftgraph/msgraph-metadata (MIT '
                            'licence, Copyright (c) 2018 Microsoft Graph; see LICENSE) by extract-from-csdl.py.'},
    'servers': [{'url': 'https://graph.microsoft.com/v1.0/'}],
    'paths': paths,
    'components': {
        'schemas': {'microsoft.graph.' + n: component(n) for n in TYPES},
        'responses': {'error': {'description': 'error', 'content': {'application/json': {'schema': {
            'type': 'object', 'required': ['error'], 'properties': {'error': {
                'type': 'object', 'required': ['code', 'message'],
                'properties': {'code': {'type': 'string'}, 'message': {'type': 'string'}}}}}}}}},
    },
}
json.dump(doc, sys.stdout, indent=1, sort_keys=False)
print()
