import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { RESULT_MAILING_LIST_MAX, Role, type StaffResultMailingsResponse } from '@zyt/shared';
import { useState } from 'react';
import { orderResultMailings } from '@/api/centre';
import { type ApiError, asApiError } from '@/api/errors';
import { Page } from '@/components/Page';
import { RoleGate } from '@/staff/components/RoleGate';
import {
  parseResultList,
  RESULT_LIST_HEADER,
  type ResultListItem,
  type ResultListRow,
} from '@/staff/resultList';
import { Button, Tag, TextArea } from '@/ui/nutui';
import '../../staff.css';

type Outcome = StaffResultMailingsResponse['items'][number];

interface Sent {
  outcomes: (Outcome & { line: number })[];
  parcels: number;
}

/** Problems the BFF found in one part of the list (`items.<i>.<field>`), as lines of the clerk's list. */
function refusedLines(error: ApiError, part: ResultListRow[]): string[] {
  return error.details.map((d) => {
    const index = Number(/^\/?items[./](\d+)[./]/.exec(d.path ?? '')?.[1]);
    const row = part[index];
    return row ? `第${row.line}行：${d.message}` : d.message;
  });
}

/** Reads a CSV the clerk was sent in WeChat (chat files are the way files reach a mini-program). */
async function chooseChatFile(): Promise<string> {
  const { tempFiles } = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv', 'txt'] });
  const file = tempFiles[0];
  return file ? String(Taro.getFileSystemManager().readFileSync(file.path, 'utf8')) : '';
}

function Desk() {
  const [text, setText] = useState('');
  const [rows, setRows] = useState<ResultListRow[]>();
  const [listError, setListError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; lines: string[] }>();
  const [sent, setSent] = useState<Sent>();

  const check = (value: string) => {
    setSent(undefined);
    setError(undefined);
    const parsed = parseResultList(value);
    if (!parsed.ok) {
      setRows(undefined);
      setListError(parsed.message);
      return;
    }
    setListError(undefined);
    setRows(parsed.rows);
  };

  const bad = rows?.filter((r) => r.problems.length > 0) ?? [];
  const ready = rows && rows.length > 0 && bad.length === 0;

  const send = async () => {
    if (!rows || !ready) return;
    setBusy(true);
    setError(undefined);
    const done: Sent = { outcomes: [], parcels: 0 };
    try {
      // Longer lists go in parts; a part sent again is harmless (cases already ordered are skipped).
      for (let i = 0; i < rows.length; i += RESULT_MAILING_LIST_MAX) {
        const part = rows.slice(i, i + RESULT_MAILING_LIST_MAX);
        try {
          const answer = await orderResultMailings(part.map((r) => r.item as ResultListItem));
          done.parcels += answer.parcels;
          done.outcomes.push(...answer.items.map((o, j) => ({ ...o, line: part[j]!.line })));
        } catch (e) {
          const err = asApiError(e);
          setError({ message: err.message, lines: refusedLines(err, part) });
          return;
        }
      }
      Taro.showToast({ title: '已下单', icon: 'success' });
    } finally {
      setBusy(false);
      if (done.outcomes.length > 0) setSent(done);
    }
  };

  const ordered = sent?.outcomes.filter((o) => o.outcome === 'ordered').length ?? 0;
  return (
    <>
      <View className="card">
        <Text className="text-title">批量寄递办理结果</Text>
        <Text className="text-hint">
          从业务系统导出已出证的办件清单，复制含表头的表格粘贴到下方。列：
          {RESULT_LIST_HEADER.replaceAll('\t', '、')}。
        </Text>
        <Text className="text-hint">
          同一收件人、同一地址的结果合并为一个邮件（最多5件），由邮政揽收寄出，邮费由政府支付。此前已下单的办件不会重复下单。
        </Text>
        <View className={`field${listError ? ' field--invalid' : ''}`}>
          <TextArea
            id="result-list"
            value={text}
            maxLength={200_000}
            rows={8}
            placeholder={`${RESULT_LIST_HEADER}\n…`}
            onChange={(value) => setText(value)}
          />
          {listError && <Text className="field__error">{listError}</Text>}
        </View>
        {process.env.TARO_ENV === 'weapp' && (
          <Button
            block
            size="large"
            onClick={async () => {
              const content = await chooseChatFile().catch(() => '');
              if (!content) return;
              setText(content);
              check(content);
            }}
          >
            从聊天记录选择 CSV 文件
          </Button>
        )}
        <Button block size="large" type="primary" id="result-list-check" onClick={() => check(text)}>
          检查清单
        </Button>
      </View>

      {rows && !sent && (
        <View className="card" id="result-list-summary">
          <Text className="staff-title">
            共 {rows.length} 件{bad.length > 0 ? `，${bad.length} 行需修改` : '，均可寄递'}
          </Text>
          {bad.map((r) => (
            <Text key={r.line} className="overdue-text">
              第{r.line}行：{r.problems.join('；')}
            </Text>
          ))}
          {error && (
            <View className="notice" role="alert">
              <Text>{error.message}</Text>
              {error.lines.map((l) => (
                <Text key={l} className="text-body">
                  {l}
                </Text>
              ))}
            </View>
          )}
          <Button
            block
            size="large"
            type="primary"
            id="result-list-send"
            disabled={!ready}
            loading={busy}
            onClick={send}
          >
            {ready ? `下单寄递（${rows.length} 件）` : '请先修改清单'}
          </Button>
        </View>
      )}

      {sent && (
        <View className="result result--collected" id="result-list-sent">
          <Text className="result__title">
            已下单 {ordered} 件，合并为 {sent.parcels} 个邮件
          </Text>
          {sent.outcomes.length > ordered && (
            <Text className="text-body">{sent.outcomes.length - ordered} 件此前已下单，未重复下单</Text>
          )}
          {error && (
            <View className="notice" role="alert">
              <Text>{error.message}：其余部分未下单，修改后可重新提交</Text>
              {error.lines.map((l) => (
                <Text key={l} className="text-body">
                  {l}
                </Text>
              ))}
            </View>
          )}
          {sent.outcomes.map((o) => (
            <View key={o.caseNumber} className="row">
              <Text className="text-body">
                第{o.line}行 · {o.caseNumber}
              </Text>
              <Tag type={o.outcome === 'ordered' ? 'success' : 'default'}>
                {o.outcome === 'ordered' ? '已下单' : '此前已下单'}
              </Tag>
            </View>
          ))}
        </View>
      )}
    </>
  );
}

/** 单程寄递（批量）: the service centre mails many issued results at once. */
export default function ResultMailingsPage() {
  return (
    <Page className="result-mailings">
      <RoleGate roles={[Role.centreClerk]} what="批量寄递办理结果">
        <Desk />
      </RoleGate>
    </Page>
  );
}
