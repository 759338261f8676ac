import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef } from 'react';
import { signOut } from '@/api/auth';
import { getMe } from '@/api/me';
import { useSession } from '@/api/session';
import { formatBeijingTime, isStaff, needsConsent, roleLabels } from '@/auth/profile';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routes } from '@/navigation';
import { setLargeText, useLargeText } from '@/settings/largeText';
import { Button, Switch, Tag } from '@/ui/nutui';
import './index.css';

/** 服务公开: fee schedule and supervision hotlines, for everyone (signed in or not). */
function PublicFactsLink() {
  return (
    <View className="card">
      <Text className="text-title">服务公开</Text>
      <Text className="text-hint">服务事项、办理流程、收费标准和监督热线</Text>
      <Button size="large" onClick={() => Taro.navigateTo({ url: routes.publicFacts })}>
        查看收费标准与监督热线
      </Button>
    </View>
  );
}

function LargeTextSwitch() {
  const large = useLargeText();
  return (
    <View className="card">
      <View className="row">
        <View className="me__label">
          <Text className="text-body">大字模式</Text>
          <Text className="text-hint">放大文字和按钮，所有页面生效</Text>
        </View>
        <Switch className="me__large-text" checked={large} onChange={(on) => setLargeText(on)} />
      </View>
    </View>
  );
}

export default function Me() {
  const session = useSession();
  const me = useLoader(getMe, session !== null);
  // Coming back from the privacy or real-name page: show what changed.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current && session) me.reload();
    shown.current = true;
  });

  if (!session) {
    return (
      <Page>
        <EmptyState title="您还没有登录" text="登录后可查看实名信息、办件和授权情况">
          <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.login })}>
            去登录
          </Button>
        </EmptyState>
        <PublicFactsLink />
        <LargeTextSwitch />
      </Page>
    );
  }

  // Shown from the stored profile while refreshing; the error only when there is nothing to show.
  const user = me.data ?? (me.loading ? undefined : session.user);
  const body = () => {
    if (!user && me.loading) return <LoadingState />;
    if (me.error && !me.data) return <ErrorState message={me.error.message} onRetry={me.reload} />;
    if (!user) return null;
    const consentNeeded = needsConsent(user);
    return (
      <>
        <View className="card">
          <Text className="text-title">办事进度</Text>
          <Text className="text-hint">受理、审批、办结和证照寄递，以及上门收件预约</Text>
          <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.cases })}>
            我的办件
          </Button>
          <Button size="large" onClick={() => Taro.navigateTo({ url: routes.bookings })}>
            我的上门预约
          </Button>
        </View>

        <View className="card">
          <Text className="text-title">我的身份</Text>
          <View className="me__roles">
            {user.roles.map((role) => (
              <Tag key={role} type="primary">
                {roleLabels[role]}
              </Tag>
            ))}
          </View>
          {isStaff(user) && (
            <Button size="large" onClick={() => Taro.navigateTo({ url: routes.staff })}>
              进入工作台
            </Button>
          )}
        </View>

        <View className="card">
          <View className="row">
            <Text className="text-title">实名认证</Text>
            <Tag type={user.identity ? 'success' : 'warning'}>{user.identity ? '已实名' : '未实名'}</Tag>
          </View>
          {user.identity ? (
            <>
              <Text className="text-body me__name">姓名：{user.identity.name}</Text>
              <Text className="text-body me__id">身份证号：{user.identity.idNumber}</Text>
              <Text className="text-hint">认证时间：{formatBeijingTime(user.identity.verifiedAt)}</Text>
            </>
          ) : (
            <>
              <Text className="text-hint">预约上门收件、办理事项前需要实名认证</Text>
              <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.identity })}>
                去实名认证
              </Button>
            </>
          )}
        </View>

        <View className="card">
          <View className="row">
            <Text className="text-title">隐私保护指引</Text>
            <Tag type={consentNeeded ? 'warning' : 'success'}>{consentNeeded ? '未同意' : '已同意'}</Tag>
          </View>
          {user.consent && !consentNeeded ? (
            <Text className="text-hint">
              已于 {formatBeijingTime(user.consent.agreedAt)} 同意版本 {user.consent.version}
            </Text>
          ) : (
            <Text className="text-hint">
              {user.consent
                ? `《隐私保护指引》已更新为 ${user.privacyGuideVersion} 版，请重新阅读并同意`
                : '您还没有同意《隐私保护指引》'}
            </Text>
          )}
          <Button size="large" onClick={() => Taro.navigateTo({ url: routes.privacy })}>
            {consentNeeded ? '阅读并同意' : '查看《隐私保护指引》'}
          </Button>
        </View>
      </>
    );
  };

  const logOut = async () => {
    await signOut();
    Taro.reLaunch({ url: routes.home });
  };

  return (
    <Page>
      {body()}
      <PublicFactsLink />
      <LargeTextSwitch />
      <Button block size="large" onClick={logOut}>
        退出登录
      </Button>
    </Page>
  );
}
