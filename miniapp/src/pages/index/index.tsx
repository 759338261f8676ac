import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { useSession } from '@/api/session';
import { Page } from '@/components/Page';
import { features, homeEntries } from '@/features';
import { routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import './index.css';
import { SearchBox } from '@/components/SearchBox';

export default function Home() {
  const session = useSession();
  const [query, setQuery] = useState('');

  // An empty box opens the whole catalogue, to browse by theme.
  const search = () => Taro.navigateTo({ url: withQuery(routes.search, { q: query.trim() }) });

  return (
    <Page className="home">
      <View className="home__hero">
        <Text className="home__title">政邮通</Text>
        <Text className="home__subtitle">政务服务，邮政送到家门口</Text>
      </View>

      <View className="card home__account">
        {session ? (
          <>
            <Text className="text-body">您好，{session.user.identity?.name ?? '微信用户'}</Text>
            <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.me })}>
              我的
            </Button>
          </>
        ) : (
          <>
            <Text className="text-body">登录后可预约上门、查看办件</Text>
            <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.login })}>
              登录
            </Button>
          </>
        )}
      </View>

      <SearchBox
        className="search"
        inputClassName="search__input"
        placeholder="搜索要办的事，如：社保、户籍"
        value={query}
        onChange={setQuery}
        onSearch={search}
      />

      <View className="entries">
        {homeEntries.map((key) => {
          const feature = features[key];
          return (
            <View
              key={key}
              className="entry"
              hoverClass="entry--pressed"
              onClick={() => Taro.navigateTo({ url: feature.route })}
            >
              <Text className="entry__title">{feature.title}</Text>
              <Text className="entry__summary">{feature.summary}</Text>
            </View>
          );
        })}
      </View>
    </Page>
  );
}
