import { Text, View } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import { Button } from '@/ui/nutui';

/** The loading, error and empty states every page shows the same way. */

export function LoadingState({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className="state state--loading" aria-busy="true">
      <View className="state__spinner" />
      <Text className="state__title">{text}</Text>
    </View>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className="state state--error" role="alert">
      <Text className="state__title">加载失败</Text>
      <Text className="state__text">{message}</Text>
      {onRetry && (
        <Button className="state__action" type="primary" size="large" onClick={onRetry}>
          重试
        </Button>
      )}
    </View>
  );
}

export function EmptyState({ title, text, children }: PropsWithChildren<{ title: string; text?: string }>) {
  return (
    <View className="state state--empty">
      <Text className="state__title">{title}</Text>
      {text && <Text className="state__text">{text}</Text>}
      {children}
    </View>
  );
}
