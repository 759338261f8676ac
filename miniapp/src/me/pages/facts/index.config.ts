export default definePageConfig({ navigationBarTitleText: '服务公开' });
