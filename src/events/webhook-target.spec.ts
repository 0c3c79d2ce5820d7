import { isPrivateAddress, resolvePublic, TargetRefused, urlProblem } from './webhook-target';

describe('webhook targets', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.5',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'ff02::1',
    'not-an-ip',
  ])('refuses %s as private, loopback, link-local, unique-local or reserved', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'allows public %s',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );

  it('takes only absolute http(s) URLs without credentials', () => {
    expect(urlProblem('https://hooks.example.com/x')).toBeNull();
    expect(urlProblem('http://hooks.example.com:8080/x?y=1')).toBeNull();
    expect(urlProblem('ftp://hooks.example.com/')).toBe('must use http or https');
    expect(urlProblem('file:///etc/passwd')).toBe('must use http or https');
    expect(urlProblem('/relative')).toBe('must be an absolute http or https URL');
    expect(urlProblem('https://user:pw@hooks.example.com/')).toContain('must not carry a user name or password');
  });

  it('refuses a name when any address it resolves to is private (no mixing public and private answers)', async () => {
    const resolver = (answers: string[]) => () =>
      Promise.resolve(answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    await expect(resolvePublic('hooks.example.com', resolver(['93.184.215.14']))).resolves.toHaveLength(1);
    await expect(resolvePublic('rebind.example.com', resolver(['93.184.215.14', '10.0.0.8']))).rejects.toThrow(
      'rebind.example.com resolves to 10.0.0.8',
    );
    await expect(resolvePublic('empty.example.com', resolver([]))).rejects.toBeInstanceOf(TargetRefused);
    // An address literal is checked as it is, without a lookup; IPv6 literals come in brackets from URL.hostname.
    await expect(resolvePublic('[::1]', resolver(['93.184.215.14']))).rejects.toThrow('resolves to ::1');
    await expect(resolvePublic('8.8.8.8', resolver([]))).resolves.toEqual([{ address: '8.8.8.8', family: 4 }]);
  });
});
