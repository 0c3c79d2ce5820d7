import { RolePermissionsProvider } from './role-permissions.provider';

describe('RolePermissionsProvider.can', () => {
  const permissions = new RolePermissionsProvider();
  const token = (granted: string[]) => ({ id: 't', name: 'n', permissions: granted as never[], systemIds: null });

  it("follows the role for a session, and the role and the token's grant for a token", () => {
    expect(permissions.can({ role: 'governance_specialist' }, 'systems:write')).toBe(true);
    expect(permissions.can({ role: 'governance_specialist', token: token(['systems:read']) }, 'systems:write')).toBe(
      false,
    );
    expect(permissions.can({ role: 'governance_specialist', token: token(['systems:write']) }, 'systems:write')).toBe(
      true,
    );
  });

  it('never lets a token widen its creator', () => {
    // users:write is not the specialist's, whatever a token row might say.
    expect(permissions.can({ role: 'governance_specialist', token: token(['users:write']) }, 'users:write')).toBe(
      false,
    );
  });
});
