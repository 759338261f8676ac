import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Page } from '@/components/Page';
import { type FeatureKey, features } from '@/features';
import { routes } from '@/navigation';
import { Button, Tag } from '@/ui/nutui';

/** The page of a sub-package whose feature is not built yet: says what it will do and offers a way back. */
export function ComingSoon({ feature }: { feature: FeatureKey }) {
  const { title, summary } = features[feature];
  return (
    <Page className="coming-soon">
      <View className="card coming-soon__card">
        <View className="row">
          <Text className="text-title">{title}</Text>
          <Tag type="warning">即将开放</Tag>
        </View>
        <Text className="text-body">{summary}</Text>
        <Text className="text-hint">
          该服务正在建设中，开放后会在首页提示。如需急办，请到附近邮政网点或政务服务中心办理。
        </Text>
      </View>
      <Button block type="primary" size="large" onClick={() => Taro.reLaunch({ url: routes.home })}>
        返回首页
      </Button>
    </Page>
  );
}
