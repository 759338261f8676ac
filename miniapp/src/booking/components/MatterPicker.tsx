import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useRef, useState } from 'react';
import { searchMatters } from '@/api/catalogue';
import { SearchBox } from '@/components/SearchBox';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routes, withQuery } from '@/navigation';
import { Tag } from '@/ui/nutui';

/** Opened from home without a matter: the matters an agent can collect at the door, searchable. */
export function MatterPicker() {
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  // Read by the loader when it runs, so a search can reload at once.
  const searchedRef = useRef('');
  const matters = useLoader(() =>
    // A resident books as a person: enterprise (法人) matters are applied for by the enterprise.
    searchMatters({
      channel: 'door_pickup',
      applicant: 'person',
      q: searchedRef.current || undefined,
      pageSize: 50,
    }),
  );

  const search = () => {
    searchedRef.current = query.trim();
    setSearched(searchedRef.current);
    matters.reload();
  };

  const list = () => {
    if (matters.loading && !matters.data) return <LoadingState />;
    if (matters.error) return <ErrorState message={matters.error.message} onRetry={matters.reload} />;
    const items = matters.data?.items ?? [];
    if (items.length === 0)
      return (
        <EmptyState
          title={searched ? `没有找到“${searched}”` : '暂无可上门收件的事项'}
          text="换个说法试试，如：社保、身份证、医保"
        />
      );
    return items.map((m) => (
      <View
        key={m.code}
        className="matter-item"
        hoverClass="matter-item--pressed"
        onClick={() => Taro.navigateTo({ url: withQuery(routes.booking, { matterCode: m.code }) })}
      >
        <View className="row">
          <Text className="booking-section-title">{m.name}</Text>
          <Tag type="success">可上门收件</Tag>
        </View>
        <Text className="text-hint">
          {m.department} · {m.theme}
        </Text>
      </View>
    ));
  };

  return (
    <>
      <View className="card">
        <Text className="text-title">选择要办的事项</Text>
        <Text className="text-hint">
          政邮专员上门核对材料并收件，寄到政务服务中心办理。以下事项支持上门收件。
        </Text>
      </View>
      <SearchBox
        className="search-row"
        inputClassName="field__input"
        id="booking-matter-search"
        placeholder="搜索事项，如：社保卡"
        value={query}
        onChange={setQuery}
        onSearch={search}
      />
      {list()}
    </>
  );
}
