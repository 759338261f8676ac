import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { type BundleGuide, bundleForSituation, materialFormLabels } from '@zyt/shared';
import { useState } from 'react';
import { getBundleGuide } from '@/api/bundles';
import { Label } from '@/components/Label';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button, Radio, Tag } from '@/ui/nutui';
import '../guide/index.css';

/** The situation picker (情形): which matters apply follows from it. */
function Situations({
  guide,
  value,
  onChange,
}: {
  guide: BundleGuide;
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  return (
    <View className="card" id="bundle-situations">
      <Text className="text-title">请选择您的情形</Text>
      <Radio.Group value={value} onChange={(v) => onChange(String(v))}>
        {guide.situations.map((s) => (
          <View key={s.id} className="material">
            <Radio value={s.id}>{s.name}</Radio>
            <Text className="text-hint">{s.description}</Text>
          </View>
        ))}
      </Radio.Group>
    </View>
  );
}

function Guide({ guide }: { guide: BundleGuide }) {
  const [situation, setSituation] = useState<string>();
  const view = situation ? bundleForSituation(guide, situation) : undefined;
  const nameOf = (code: string) => guide.matters.find((m) => m.code === code)?.name ?? code;
  return (
    <>
      <View className="card">
        <Text className="text-title">{guide.name}</Text>
        <Text className="text-body">{guide.description}</Text>
        <Text className="text-hint">
          共 {guide.matterCount} 个事项，{guide.physicalResults} 本证卡由 EMS 免费寄送
        </Text>
      </View>
      <Situations guide={guide} value={situation} onChange={setSituation} />
      {view ? (
        <>
          <View className="card" id="bundle-matters">
            <Text className="text-title">本情形一次办理 {view.matters.length} 个事项</Text>
            {view.matters.map((m, i) => (
              <View key={m.code} className="material">
                <View className="row">
                  <Text className="text-body">
                    {i + 1}. {m.name}
                  </Text>
                  <Label>{m.resultKind === 'physical' ? `寄送${m.resultName}` : '电子结果'}</Label>
                </View>
                {m.dependsOn.filter((d) => view.matters.some((x) => x.code === d)).length > 0 && (
                  <Text className="text-hint">
                    在
                    {m.dependsOn
                      .filter((d) => view.matters.some((x) => x.code === d))
                      .map(nameOf)
                      .join('、')}
                    办结后办理
                  </Text>
                )}
              </View>
            ))}
          </View>
          <View className="card" id="bundle-materials">
            <Text className="text-title">申请材料（合并后 {view.materials.length} 项，不重复提交）</Text>
            {view.materials.map((m, i) => (
              <View key={m.id} className="material">
                <View className="row">
                  <Text className="text-body material__name">
                    {i + 1}. {m.name}
                  </Text>
                  {m.required ? <Tag type="danger">必需</Tag> : <Label>非必需</Label>}
                </View>
                <Text className="text-hint material__form">
                  {materialFormLabels[m.form]} · {m.count} 份 · 用于
                  {m.matterCodes
                    .filter((c) => view.matters.some((x) => x.code === c))
                    .map(nameOf)
                    .join('、')}
                </Text>
                {m.note && <Text className="text-hint">{m.note}</Text>}
              </View>
            ))}
          </View>
          <View className="card" id="bundle-fields">
            <Text className="text-title">申请表（{view.fields.length} 项，只填一次）</Text>
            <Text className="text-hint">{view.fields.map((f) => f.label).join('、')}</Text>
          </View>
          <View className="actions">
            <Button
              block
              type="primary"
              size="large"
              disabled={!guide.doorPickup}
              onClick={() =>
                Taro.navigateTo({
                  url: withQuery(routes.booking, { matterCode: guide.code, situation }),
                })
              }
            >
              预约上门收件（一次办理）
            </Button>
          </View>
        </>
      ) : (
        <View className="card">
          <Text className="text-hint">选择情形后，显示需要办理的事项、合并后的材料清单和申请表。</Text>
        </View>
      )}
    </>
  );
}

/** 一件事一次办 guide (?code=): situations, the matters that apply, one merged materials list, one form. */
export default function BundleGuidePage() {
  const code = routeParam(useRouter().params, 'code');
  const guide = useLoader(() => (code ? getBundleGuide(code) : Promise.resolve(undefined)));
  return (
    <Page className="guide">
      {guide.loading ? (
        <LoadingState />
      ) : guide.error ? (
        <ErrorState message={guide.error.message} onRetry={guide.reload} />
      ) : guide.data ? (
        <Guide guide={guide.data} />
      ) : (
        <EmptyState title="没有找到该“一件事”" text="请返回重新搜索" />
      )}
    </Page>
  );
}
