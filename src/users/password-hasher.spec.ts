import { hashPassword, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  it('verifies a 64-character multibyte password and refuses a near miss', async () => {
    const password = '密码🔐✓'.repeat(16);
    expect([...password].length).toBe(64);
    const hash = await hashPassword(password);
    expect(hash.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword(password, hash)).toBe(true);
    expect(await verifyPassword(password.slice(0, -2), hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password!')).not.toBe(await hashPassword('same password!'));
  });
});
