export default definePageConfig({ navigationBarTitleText: '办理结果邮寄到家' });
