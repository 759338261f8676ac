import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { applicantLabels, type MatterGuide, mailLabels } from '@zyt/shared';
import { type PropsWithChildren, useCallback } from 'react';
import { getMatterGuide } from '@/api/catalogue';
import { Label } from '@/components/Label';
import { OutletCard } from '@/components/OutletCard';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { promisedText } from '@/lib/format';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button, Tag } from '@/ui/nutui';
import './index.css';

function Fact({ label, children }: PropsWithChildren<{ label: string }>) {
  return (
    <View className="guide__fact">
      <Text className="guide__fact-label">{label}</Text>
      <View className="guide__fact-value">{children}</View>
    </View>
  );
}

function Materials({ guide }: { guide: MatterGuide }) {
  return (
    <View className="card" id="guide-materials">
      <Text className="text-title">申请材料（{guide.materials.length} 项）</Text>
      {guide.materials.map((material, i) => (
        <View key={material.id} className="material">
          <View className="row">
            <Text className="text-body material__name">
              {i + 1}. {material.name}
            </Text>
            {material.required ? <Tag type="danger">必需</Tag> : <Label>非必需</Label>}
          </View>
          <Text className="text-hint material__form">
            {material.formLabel} · {material.count} 份
          </Text>
          {material.note && <Text className="text-hint">{material.note}</Text>}
        </View>
      ))}
    </View>
  );
}

function Channels({ guide }: { guide: MatterGuide }) {
  const { channels } = guide;
  const line = (name: string, supported: boolean, detail?: string) => (
    <View className="row guide__channel">
      <Text className="text-body">{name}</Text>
      <Text className={supported ? 'guide__yes' : 'guide__no'}>
        {detail ?? (supported ? '支持' : '不支持')}
      </Text>
    </View>
  );
  return (
    <View className="card">
      <Text className="text-title">办理渠道</Text>
      {line('上门收件', channels.doorPickup)}
      {line('网点办理', channels.outlet)}
      {line('邮寄送达', channels.mail !== 'none', mailLabels[channels.mail])}
    </View>
  );
}

export default function Guide() {
  const code = routeParam(useRouter().params, 'code');
  const guide = useLoader(
    useCallback(() => getMatterGuide(code ?? ''), [code]),
    code !== undefined,
  );

  if (!code) {
    return (
      <Page>
        <EmptyState title="没有指定事项" text="请从事项查询进入办事指南">
          <Button type="primary" size="large" onClick={() => Taro.redirectTo({ url: routes.search })}>
            去查询事项
          </Button>
        </EmptyState>
      </Page>
    );
  }
  if (guide.loading && !guide.data)
    return (
      <Page>
        <LoadingState />
      </Page>
    );
  if (!guide.data) {
    return (
      <Page>
        <ErrorState message={guide.error?.message ?? '加载失败'} onRetry={guide.reload} />
      </Page>
    );
  }

  const g = guide.data;
  return (
    <Page className="guide">
      <View className="card">
        <Text className="guide__title">{g.name}</Text>
        <View className="guide__tags">
          <Tag type="primary">{applicantLabels[g.applicantType]}</Tag>
          <Label>{g.theme}</Label>
          <Label>{g.matterTypeLabel}</Label>
        </View>
        <Fact label="办件类型">
          <Text className="text-body">{g.caseTypeLabel}</Text>
        </Fact>
        <Fact label="承诺时限">
          <Text className="text-body">
            {promisedText(g.promisedWorkingDays)}
            {g.legalWorkingDays > 0 && `（法定 ${g.legalWorkingDays} 个工作日）`}
          </Text>
        </Fact>
        <Fact label="收费">
          <Text className="text-body">{g.fees.text}</Text>
          {g.fees.free && <Tag type="success">免费</Tag>}
        </Fact>
        <Fact label="办理部门">
          <Text className="text-body">{g.department}</Text>
        </Fact>
        <Fact label="办理结果">
          <Text className="text-body">
            {g.result.documentName}
            {g.result.kind === 'electronic' ? '（电子）' : ''}
          </Text>
        </Fact>
      </View>

      {g.applicantType === 'enterprise' ? (
        // A resident cannot book an enterprise (法人) matter as a person: the enterprise applies itself.
        <Text className="notice">
          本事项的服务对象是企业（法人），需由企业作为申请人办理，不能以个人身份预约上门收件。
        </Text>
      ) : g.channels.doorPickup ? (
        <View className="card guide__book">
          <Text className="text-body">本事项支持政邮专员上门收件，材料免费寄到政务服务中心。</Text>
          <Button
            block
            type="primary"
            size="large"
            onClick={() => Taro.navigateTo({ url: withQuery(routes.booking, { matterCode: g.code }) })}
          >
            预约上门收件
          </Button>
        </View>
      ) : (
        <Text className="notice">本事项暂不支持上门收件，请到下列网点办理。</Text>
      )}

      {g.applicantType === 'person' &&
        g.channels.outlet &&
        g.outlets.some((o) => o.kind === 'post_office') && (
          <View className="card guide__window" id="guide-window">
            <Text className="text-body">也可以预约到附近邮政网点的政务服务专窗办理，周末照常营业。</Text>
            <Button
              block
              size="large"
              onClick={() =>
                Taro.navigateTo({ url: withQuery(routes.windowBooking, { matterCode: g.code }) })
              }
            >
              预约网点办理
            </Button>
          </View>
        )}

      <View className="card">
        <Text className="text-title">受理条件</Text>
        <Text className="text-body guide__conditions">{g.conditions}</Text>
      </View>

      <Materials guide={g} />
      <Channels guide={g} />

      <View className="card">
        <View className="row">
          <Text className="text-title">可办网点（{g.outlets.length}）</Text>
          {g.outlets.length > 0 && (
            <Button onClick={() => Taro.navigateTo({ url: withQuery(routes.outlets, { matter: g.code }) })}>
              按距离查看
            </Button>
          )}
        </View>
        {g.outlets.length === 0 && (
          <Text className="text-hint">本事项不在网点受理，请通过上门收件或邮寄办理。</Text>
        )}
      </View>
      {g.outlets.map((outlet) => (
        <OutletCard
          key={outlet.id}
          outlet={outlet}
          onOpen={() => Taro.navigateTo({ url: withQuery(routes.outlet, { id: outlet.id }) })}
        />
      ))}
    </Page>
  );
}
