import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { getSession, saveTokens } from '@/api/session';
import Identity from '@/me/pages/identity';
import { apiError, type FakeRequest, fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';

const VALID_ID = '11010519491231002X';
const WRONG_CHECK_DIGIT = '110105194912310021';

function type(label: 'name' | 'idNumber', value: string) {
  const input = document.querySelector(
    `#identity-${label} input, input#identity-${label}`,
  ) as HTMLInputElement;
  fireEvent.input(input, { target: { value } });
}

const fieldError = (field: 'name' | 'idNumber') =>
  document.querySelector(`#identity-${field}-error`)?.textContent;

describe('real-name form (实名认证)', () => {
  let log: FakeRequest[];

  beforeEach(() => {
    saveTokens(tokens(1));
    log = fakeBff((req) =>
      req.path === '/api/v1/me/identity'
        ? {
            status: 200,
            data: user({
              identity: { name: '张*', idNumber: '110***********002X', verifiedAt: '2026-11-02T02:00:00Z' },
            }),
          }
        : { status: 404 },
    );
  });

  it('shows the validator message under the ID field as the person types, and does not submit', async () => {
    render(<Identity />);
    type('name', '张三');
    type('idNumber', '1101051949');
    expect(fieldError('idNumber')).toBe('身份证号码应为18位');
    type('idNumber', WRONG_CHECK_DIGIT);
    expect(fieldError('idNumber')).toBe('身份证号码校验位不正确，请核对每一位');
    expect(fieldError('name')).toBeUndefined();

    fireEvent.click(screen.getByText('提交认证'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toHaveLength(0);
  });

  it('shows the name message too', () => {
    render(<Identity />);
    type('name', 'Zhang San');
    expect(fieldError('name')).toBe('姓名只能包含汉字和间隔号“·”');
  });

  it('marks both empty fields on submit without sending anything', async () => {
    render(<Identity />);
    fireEvent.click(screen.getByText('提交认证'));
    expect(fieldError('name')).toBe('姓名应为2到30个字');
    expect(fieldError('idNumber')).toBe('身份证号码应为18位');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toHaveLength(0);
  });

  it('submits a valid name and ID, keeps the masked result and goes to 我的', async () => {
    setRouterParams({ from: 'signin' });
    render(<Identity />);
    type('name', '张三');
    type('idNumber', VALID_ID.toLowerCase());
    expect(fieldError('idNumber')).toBeUndefined();
    fireEvent.click(screen.getByText('提交认证'));

    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/me/pages/index/index' }));
    expect(log).toEqual([
      {
        method: 'POST',
        path: '/api/v1/me/identity',
        body: { name: '张三', idNumber: VALID_ID },
        token: 'access-1',
      },
    ]);
    expect(getSession()?.user.identity).toMatchObject({ name: '张*', idNumber: '110***********002X' });
  });

  it('shows a server field error under its field', async () => {
    fakeBff(() =>
      apiError(422, 'ID_NUMBER_INVALID', '身份证号码不正确，请核对后重新输入', [
        { field: 'idNumber', message: '身份证号码与姓名不匹配，请核对' },
      ]),
    );
    render(<Identity />);
    type('name', '张三');
    type('idNumber', VALID_ID);
    fireEvent.click(screen.getByText('提交认证'));

    await waitFor(() => expect(fieldError('idNumber')).toBe('身份证号码与姓名不匹配，请核对'));
    expect(Taro.redirectTo).not.toHaveBeenCalled();
    expect(Taro.navigateBack).not.toHaveBeenCalled();
    // Editing the field clears the server's message.
    type('idNumber', `${VALID_ID.slice(0, 17)}`);
    expect(fieldError('idNumber')).toBe('身份证号码应为18位');
  });

  it('shows an error without details above the button', async () => {
    fakeBff(() => 'offline');
    render(<Identity />);
    type('name', '张三');
    type('idNumber', VALID_ID);
    fireEvent.click(screen.getByText('提交认证'));
    expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeTruthy();
  });

  it('asks for the privacy guide first when it is not agreed, without showing the form', () => {
    saveTokens(tokens(1, user({ consent: null })));
    render(<Identity />);
    expect(screen.getByText('请先阅读并同意《隐私保护指引》')).toBeTruthy();
    expect(document.querySelector('#identity-idNumber')).toBeNull();
  });
});
