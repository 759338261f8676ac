// The NutUI components this app uses, imported one by one with only their own stylesheets: NutUI's
// barrel pulls in every component (lottie, canvas, …) and its full CSS is ~200 KB.
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/checkbox/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/radio/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/rate/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css';

export { default as Button } from '@nutui/nutui-react-taro/dist/es/packages/button';
export { default as Checkbox } from '@nutui/nutui-react-taro/dist/es/packages/checkbox';
export { default as Radio } from '@nutui/nutui-react-taro/dist/es/packages/radio';
export { default as Rate } from '@nutui/nutui-react-taro/dist/es/packages/rate';
export { default as Switch } from '@nutui/nutui-react-taro/dist/es/packages/switch';
export { default as Tag } from '@nutui/nutui-react-taro/dist/es/packages/tag';
export { default as TextArea } from '@nutui/nutui-react-taro/dist/es/packages/textarea';
