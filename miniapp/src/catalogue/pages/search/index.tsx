import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import {
  type ApplicantType,
  applicantLabels,
  type BundleSummary,
  channelLabels,
  type MatterChannel,
  type MatterSummary,
  type ThemeList,
} from '@zyt/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { listBundles } from '@/api/bundles';
import { listThemes, searchMatters } from '@/api/catalogue';
import { type ApiError, asApiError } from '@/api/errors';
import { type ChipOption, Chips } from '@/components/Chips';
import { Label } from '@/components/Label';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { promisedText } from '@/lib/format';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button, Tag } from '@/ui/nutui';
import './index.css';
import { SearchBox } from '@/components/SearchBox';

const PAGE_SIZE = 20;

interface Filters {
  q: string;
  applicant?: ApplicantType;
  theme?: string;
  channel?: MatterChannel;
}

const applicantOptions: ChipOption<ApplicantType>[] = [
  { value: undefined, label: '全部' },
  { value: 'person', label: applicantLabels.person },
  { value: 'enterprise', label: applicantLabels.enterprise },
];

const channelOptions: ChipOption<MatterChannel>[] = [
  { value: undefined, label: '全部渠道' },
  ...(['door_pickup', 'outlet', 'mail'] as const).map((value) => ({ value, label: channelLabels[value] })),
];

interface Results {
  items: MatterSummary[];
  total: number;
  page: number;
  synced: boolean;
}

/** Results of one filter set, page by page ("加载更多"); a newer filter set drops older answers. */
function useResults(filters: Filters) {
  const [results, setResults] = useState<Results>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);

  const load = useCallback(
    (page: number) => {
      const call = ++latest.current;
      setLoading(true);
      setError(undefined);
      searchMatters({ ...filters, q: filters.q || undefined, page, pageSize: PAGE_SIZE }).then(
        (res) => {
          if (call !== latest.current) return;
          setResults((prev) => ({
            items: page === 1 || !prev ? res.items : [...prev.items, ...res.items],
            total: res.total,
            page,
            synced: res.catalogueSyncedAt !== null,
          }));
          setLoading(false);
        },
        (e: unknown) => {
          if (call !== latest.current) return;
          setError(asApiError(e));
          setLoading(false);
        },
      );
    },
    [filters],
  );

  useEffect(() => {
    setResults(undefined);
    load(1);
  }, [load]);

  return { results, error, loading, load };
}

function MatterItem({ matter }: { matter: MatterSummary }) {
  return (
    <View
      className="card matter-item"
      hoverClass="matter-item--pressed"
      onClick={() => Taro.navigateTo({ url: withQuery(routes.guide, { code: matter.code }) })}
    >
      <Text className="text-title">{matter.name}</Text>
      <View className="matter-item__tags">
        <Tag type="primary">{applicantLabels[matter.applicantType]}</Tag>
        <Label>{matter.theme}</Label>
        <Label>{matter.caseTypeLabel}</Label>
        {matter.channels.doorPickup && <Tag type="success">可上门收件</Tag>}
      </View>
      <Text className="text-hint">
        承诺时限：{promisedText(matter.promisedWorkingDays)} · {matter.department}
      </Text>
    </View>
  );
}

/** 一件事一次办 bundles matching the query (all of them when there is none): one application for several matters. */
function Bundles({ q }: { q: string }) {
  const [bundles, setBundles] = useState<BundleSummary[]>([]);
  useEffect(() => {
    let live = true;
    // Without them the search still works: a failure shows no bundles.
    listBundles().then(
      (res) => live && setBundles(res.items),
      () => live && setBundles([]),
    );
    return () => {
      live = false;
    };
  }, []);
  const shown = bundles.filter((b) => !q || b.name.includes(q) || b.description.includes(q));
  if (shown.length === 0) return null;
  return (
    <>
      {shown.map((b) => (
        <View
          key={b.code}
          className="card matter-item"
          hoverClass="matter-item--pressed"
          onClick={() => Taro.navigateTo({ url: withQuery(routes.bundleGuide, { code: b.code }) })}
        >
          <Text className="text-title">{b.name}</Text>
          <View className="matter-item__tags">
            <Tag type="primary">一件事一次办</Tag>
            <Label>{b.matterCount} 个事项</Label>
            <Tag type="success">{b.physicalResults} 本证卡寄送到家</Tag>
          </View>
          <Text className="text-hint">{b.description}</Text>
        </View>
      ))}
    </>
  );
}

export default function Search() {
  const params = useRouter().params;
  const [input, setInput] = useState(() => routeParam(params, 'q') ?? '');
  const [filters, setFilters] = useState<Filters>(() => ({
    q: routeParam(params, 'q') ?? '',
    theme: routeParam(params, 'theme'),
  }));
  const [themes, setThemes] = useState<ThemeList['items']>();
  useEffect(() => {
    // Chips for the themes of the chosen applicant type; without them the search still works.
    let live = true;
    listThemes(filters.applicant).then(
      (res) => live && setThemes(res.items),
      () => live && setThemes(undefined),
    );
    return () => {
      live = false;
    };
  }, [filters.applicant]);
  const { results, error, loading, load } = useResults(filters);

  const change = (next: Partial<Filters>) => setFilters((f) => ({ ...f, ...next }));
  const submit = () => change({ q: input.trim() });

  const themeOptions: ChipOption<string>[] = [
    { value: undefined, label: '全部主题' },
    ...(themes ?? []).map((t) => ({ value: t.theme, label: `${t.theme} ${t.count}` })),
  ];

  const list = () => {
    if (!results && loading) return <LoadingState text="正在查询…" />;
    if (!results && error) return <ErrorState message={error.message} onRetry={() => load(1)} />;
    if (!results) return null;
    if (results.items.length === 0) {
      return (
        <EmptyState
          title={results.synced ? '没有找到相关事项' : '事项目录正在更新'}
          text={
            results.synced
              ? '换个说法试试，如：社保、身份证、营业执照；或清除筛选条件'
              : '请稍后再试，或到附近网点咨询'
          }
        >
          <Button
            size="large"
            onClick={() => {
              setInput('');
              setFilters({ q: '' });
            }}
          >
            清除搜索和筛选
          </Button>
        </EmptyState>
      );
    }
    const more = results.items.length < results.total;
    return (
      <>
        <Text className="text-hint search-page__total">共 {results.total} 项</Text>
        {results.items.map((matter) => (
          <MatterItem key={matter.code} matter={matter} />
        ))}
        {error && <Text className="notice">{error.message}</Text>}
        {more ? (
          <Button block size="large" loading={loading} onClick={() => load(results.page + 1)}>
            加载更多
          </Button>
        ) : (
          <Text className="text-hint search-page__end">已显示全部</Text>
        )}
      </>
    );
  };

  return (
    <Page className="search-page">
      <SearchBox
        className="search-bar"
        inputClassName="search-bar__input"
        placeholder="搜索要办的事，如：社保、户籍"
        value={input}
        onChange={setInput}
        onSearch={submit}
      />
      <Chips
        name="服务对象"
        options={applicantOptions}
        value={filters.applicant}
        onChange={(applicant) => change({ applicant, theme: undefined })}
      />
      <Chips
        name="办理渠道"
        options={channelOptions}
        value={filters.channel}
        onChange={(channel) => change({ channel })}
      />
      {themes && (
        <Chips
          scroll
          name="主题"
          options={themeOptions}
          value={filters.theme}
          onChange={(theme) => change({ theme })}
        />
      )}
      <Bundles q={filters.q} />
      {list()}
    </Page>
  );
}
